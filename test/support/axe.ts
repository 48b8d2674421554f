import { expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';

/** axe-core (a devDependency), run in the page as a script: the page's CSP does not block evaluate. */
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

type AxeViolation = { id: string; nodes: { target: string[] }[] };

/**
 * The WCAG 2.1 A and AA violations axe finds in a page or a frame, each as "rule: targets".
 * Fails unless axe ran more than 10 rules, so that a check of nothing cannot pass.
 */
export async function axeViolations(target: Page | Frame): Promise<string[]> {
  const { violations, passed } = await target.evaluate<{
    violations: AxeViolation[];
    passed: number;
  }>(
    `${AXE}; axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })` +
      '.then((r) => ({ passed: r.passes.length, violations: r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => ({ target: n.target })) })) }))',
  );
  expect(passed).toBeGreaterThan(10);
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
