// Lints an OpenAPI document read from stdin with Redocly's rules as redocly.yaml sets them, and
// prints the problems as JSON. A separate process: @redocly/openapi-core is an ES module, which
// jest's CommonJS runtime cannot load.
import { lintFromString, loadConfig } from '@redocly/openapi-core';
import { fileURLToPath } from 'node:url';
import { text } from 'node:stream/consumers';

const config = await loadConfig({
  configPath: fileURLToPath(new URL('../../redocly.yaml', import.meta.url)),
});
const problems = await lintFromString({
  source: await text(process.stdin),
  absoluteRef: '/docs-json',
  config,
});
process.stdout.write(
  JSON.stringify(
    problems.map((p) => ({
      severity: p.severity,
      rule: p.ruleId,
      message: p.message,
      where: p.location[0]?.pointer,
    })),
  ),
);
