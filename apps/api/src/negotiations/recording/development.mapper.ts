import type { Development, Instant } from '@parley/domain';
import { parseInstant } from '@parley/domain';
import { randomUUID } from 'node:crypto';
import type { DevelopmentEnvelopeDto } from './development.request.dto';

/** Time fields inside `data`; like every event time, a date-only value means the start of that day. */
const DATA_TIME_FIELDS = new Set(['effectiveAt', 'scheduledFor']);

function eventTime(value: string): Instant {
  const instant = parseInstant(value, 'start-of-day');
  // The DTO has already checked the value, so this cannot happen for a validated envelope.
  if (instant === undefined) throw new Error(`unparseable time ${value}`);
  return instant;
}

/** Copies own fields, dropping undefined ones, so what is stored is plain JSON. */
function plain(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value) as [string, unknown][]) {
    if (field === undefined) continue;
    if (DATA_TIME_FIELDS.has(key) && typeof field === 'string') out[key] = eventTime(field);
    else if (Array.isArray(field))
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
  return {
    type: envelope.type,
    eventId: envelope.eventId ?? randomUUID(),
    occurredAt: eventTime(envelope.occurredAt),
    ...(envelope.reportedAt !== undefined ? { reportedAt: eventTime(envelope.reportedAt) } : {}),
    ...(envelope.source !== undefined ? { source: plain(envelope.source) } : {}),
    ...(envelope.summary !== undefined ? { summary: envelope.summary } : {}),
    data: plain(envelope.data),
  } as Development;
}
