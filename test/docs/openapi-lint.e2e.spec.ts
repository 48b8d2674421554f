/**
 * The served OpenAPI document passes Redocly's recommended rules (as redocly.yaml sets them): no
 * error and no warning. A rule is only ever turned off in redocly.yaml, with the reason beside it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { DOCS_PATH } from '../../apps/api/src/docs/openapi';
import { RunningApp } from '../support/running-app';

interface LintProblem {
  severity: 'error' | 'warn';
  rule: string;
  message: string;
  where: string;
}

/** Lints in a child process: @redocly/openapi-core is an ES module. */
function lint(document: string): Promise<LintProblem[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [join(__dirname, 'redocly-lint.mjs')],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`redocly-lint.mjs failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout) as LintProblem[]);
      },
    );
    child.stdin!.end(document);
  });
}

describe('the served OpenAPI document, linted by Redocly', () => {
  let app: RunningApp;
  let document: string;

  beforeAll(async () => {
    app = await RunningApp.start();
    document = await (await fetch(`${app.baseUrl}/${DOCS_PATH}-json`)).text();
  });

  afterAll(() => app.destroy());

  it('has no error and no warning under the recommended rules', async () => {
    const problems = await lint(document);
    expect(problems.map((p) => `${p.severity} ${p.rule} at ${p.where}: ${p.message}`)).toEqual([]);
  });

  it('would report a broken document (the lint runs)', async () => {
    const broken = JSON.parse(document) as { servers?: unknown };
    broken.servers = [];
    const problems = await lint(JSON.stringify(broken));
    expect(problems).toContainEqual(expect.objectContaining({ rule: 'no-empty-servers' }));
  });
});
