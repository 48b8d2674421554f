import type { Development } from '@parley/domain';
import { withParsedTimes } from '@parley/domain';
import { randomUUID } from 'node:crypto';
import type { DevelopmentEnvelopeDto } from './development.request.dto';

/** Copies own fields of a validated DTO, dropping undefined ones, so what is stored is plain JSON. */
function plain(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value) as [string, unknown][]) {
    if (field === undefined) continue;
    if (Array.isArray(field))
      out[key] = field.map((item: unknown) =>
        typeof item === 'object' && item !== null ? plain(item) : item,
      );
    else if (typeof field === 'object' && field !== null) out[key] = plain(field);
    else out[key] = field;
  }
  return out;
}

/** Maps a validated request envelope to the domain's development, with canonical UTC times. */
export function toDevelopment(envelope: DevelopmentEnvelopeDto): Development {
  const read = withParsedTimes({
    type: envelope.type,
    eventId: envelope.eventId ?? randomUUID(),
    occurredAt: envelope.occurredAt,
    ...(envelope.reportedAt !== undefined ? { reportedAt: envelope.reportedAt } : {}),
    ...(envelope.source !== undefined ? { source: plain(envelope.source) } : {}),
    ...(envelope.summary !== undefined ? { summary: envelope.summary } : {}),
    data: plain(envelope.data),
  });
  // The DTO has already checked every time (IsIsoTime), so this cannot happen for a validated envelope.
  if ('invalidTime' in read) throw new Error(`unparseable time in ${read.invalidTime}`);
  return read.development;
}
