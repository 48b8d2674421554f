/**
 * The boundaries of DESIGN.md are a failing check, not a hope: dependency-cruiser
 * (.dependency-cruiser.cjs) finds none broken in the tree, and reports every one of its rules on
 * the fixture in test/boundaries/violations, which breaks each once.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');

interface Cruise {
  summary: { violations: { rule: { name: string }; from: string; to: string }[] };
}

/** Runs the check as `npm run lint` does, in `cwd`, and returns what it found. */
function cruise(cwd: string, paths: string[]): Cruise {
  try {
    const out = execFileSync(DEPCRUISE, [...paths, '--config', CONFIG, '--output-type', 'json'], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(out) as Cruise;
  } catch (error) {
    // depcruise exits non-zero when it finds violations; its report is still on stdout.
    const stdout = (error as { stdout?: string }).stdout;
    if (!stdout) throw error;
    return JSON.parse(stdout) as Cruise;
  }
}

// The configuration is CommonJS, loaded as dependency-cruiser loads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RULES = (require(CONFIG) as { forbidden: { name: string }[] }).forbidden.map((r) => r.name);

describe('the boundary check', () => {
  it('finds no import across a boundary in the tree', () => {
    const found = cruise(ROOT, ['apps', 'libs', 'test', 'bench']).summary.violations;
    expect(found.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  }, 60_000);

  it('reports every rule on the fixture that breaks each once', () => {
    const found = cruise(join(__dirname, 'violations'), ['libs', 'apps']).summary.violations;
    expect([...new Set(found.map((v) => v.rule.name))].sort()).toEqual([...RULES].sort());
  }, 60_000);
});
