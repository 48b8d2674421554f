import type { RecordedDevelopment } from '@parley/domain';
import type { NewEvent } from '@parley/event-store';
import {
  generateNegotiation,
  unrecordedDevelopment,
} from '@parley/projections/testing/negotiation-generator';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toNewEvent } from '../apps/api/src/store/development-envelope';

export { generateNegotiation };

/** A fresh folder for a store file, removed by the returned function. */
export function scratchDir(label: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `parley-bench-${label}-`));
  // BENCH_KEEP=1 keeps the stores and the server logs, to look into a run.
  return {
    dir,
    remove: () =>
      process.env.BENCH_KEEP
        ? console.error(`kept ${dir}`)
        : rmSync(dir, { recursive: true, force: true }),
  };
}

/** A recorded development as the store takes it. */
export function storeEvent(development: RecordedDevelopment): NewEvent {
  return toNewEvent(unrecordedDevelopment(development));
}

/** The body of POST /negotiations for a generated stream's NegotiationOpened. */
export function openingBody(opened: RecordedDevelopment): Record<string, unknown> {
  if (opened.type !== 'NegotiationOpened')
    throw new Error('a stream starts with NegotiationOpened');
  return {
    id: opened.negotiationId,
    title: opened.data.title,
    parties: opened.data.parties,
    openedAt: opened.occurredAt,
    ...(opened.data.description !== undefined ? { description: opened.data.description } : {}),
  };
}

/** The body of POST /negotiations/:id/events for a generated development. */
export function envelopeBody(development: RecordedDevelopment): Record<string, unknown> {
  return { ...unrecordedDevelopment(development) };
}
