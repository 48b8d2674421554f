import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');

/** The shipped example negotiation (the 2025 US-China record). */
export const EXAMPLE = join(ROOT, 'examples', 'us-china-2025.ndjson');

/** Loads the example into the server at `baseUrl` as `negotiationId`, as a user would: `parley import`. */
export async function importExample(baseUrl: string, negotiationId: string): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, 'bin', 'parley.js'),
      'import',
      EXAMPLE,
      '--negotiation',
      negotiationId,
      '--url',
      baseUrl,
      '--quiet',
    ],
    { env: { ...process.env, PARLEY_API_KEY: '' } },
  );
}
