import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  generateNegotiation,
  unrecordedDevelopment,
} from '../../libs/projections/src/testing/negotiation-generator';
import type { RunningApp } from './running-app';

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

/**
 * Records a generated negotiation (negotiation-generator.ts) through the API as a client would:
 * opened, then its developments 1,000 per `POST …/events/batch`, each as posted (without what the
 * server adds when it records).
 */
export async function recordGenerated(
  app: RunningApp,
  options: { events: number; seed: number; negotiationId: string },
): Promise<void> {
  const [opening, ...rest] = generateNegotiation(options);
  const data = opening!.data as { title: string; parties: { code: string; name: string }[] };
  const opened = await app.post('/negotiations', {
    id: options.negotiationId,
    title: data.title,
    parties: data.parties,
    openedAt: opening!.occurredAt,
  });
  expect(opened.status).toBe(201);
  for (let i = 0; i < rest.length; i += 1000) {
    const events = rest.slice(i, i + 1000).map(unrecordedDevelopment);
    const recorded = await app.post(`/negotiations/${options.negotiationId}/events/batch`, {
      events,
    });
    expect({ status: recorded.status, body: recorded.body }).toMatchObject({ status: 201 });
  }
}
