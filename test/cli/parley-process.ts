import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/parley.js …args` as a child process, as a user runs `npx parley …`; never throws on a non-zero exit. */
export function parley(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'parley.js'), ...args],
      {
        env: { ...process.env, PARLEY_API_KEY: '', PARLEY_URL: '', ...env },
        maxBuffer: 10 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ status: typeof code === 'number' ? code : 0, stdout, stderr });
      },
    );
  });
}
