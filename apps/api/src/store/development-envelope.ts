import type { Development, RecordedDevelopment } from '@parley/domain';
import type { NewEvent, StoredEvent } from '@parley/event-store';
import { decodeStored } from './development-decoder';

const STREAM_PREFIX = 'negotiation-';

export const streamOf = (negotiationId: string): string => STREAM_PREFIX + negotiationId;

export const negotiationOf = (stream: string): string | undefined =>
  stream.startsWith(STREAM_PREFIX) ? stream.slice(STREAM_PREFIX.length) : undefined;

/** A development as the store keeps it: type and id on the envelope, the rest in its data. */
export function toNewEvent(development: Development): NewEvent {
  const { type, eventId, ...data } = development;
  return { type, eventId, data };
}

/** A stored event as a recorded development, decoded (development-decoder.ts): never a cast. */
export function toRecorded(event: StoredEvent): RecordedDevelopment {
  return decodeStored(event, negotiationOf(event.stream) ?? event.stream);
}

/**
 * The content that makes two postings "the same development" for idempotency: everything the
 * client sent. A date and the same day's midnight as a date-time are the same content, as in v1;
 * a month, a year or an approximate date is not the same as a day.
 */
export function contentOf(development: Development): string {
  const { type, occurredAt, occurredPrecision, modality, reportedAt, source, summary, data } =
    development;
  return canonicalJson({
    type,
    occurredAt,
    occurredPrecision: occurredPrecision === 'day' ? undefined : occurredPrecision,
    modality,
    reportedAt,
    source,
    summary,
    data,
  });
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
