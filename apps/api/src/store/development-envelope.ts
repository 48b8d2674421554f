import type { Development, RecordedDevelopment } from '@parley/domain';
import type { NewEvent, StoredEvent } from '@parley/event-store';

const STREAM_PREFIX = 'negotiation-';

export const streamOf = (negotiationId: string): string => STREAM_PREFIX + negotiationId;

export const negotiationOf = (stream: string): string | undefined =>
  stream.startsWith(STREAM_PREFIX) ? stream.slice(STREAM_PREFIX.length) : undefined;

/** A development as the store keeps it: type and id on the envelope, the rest in its data. */
export function toNewEvent(development: Development): NewEvent {
  const { type, eventId, ...data } = development;
  return { type, eventId, data };
}

export function toRecorded(event: StoredEvent): RecordedDevelopment {
  const negotiationId = negotiationOf(event.stream) ?? event.stream;
  return {
    type: event.type,
    eventId: event.eventId,
    ...(event.data as Omit<Development, 'type' | 'eventId'>),
    negotiationId,
    revision: event.revision,
    recordedAt: event.recordedAt,
  } as RecordedDevelopment;
}

/** The content that makes two postings "the same development" for idempotency: everything the client sent. */
export function contentOf(development: Development): string {
  const { type, occurredAt, reportedAt, source, summary, data } = development;
  return canonicalJson({ type, occurredAt, reportedAt, source, summary, data });
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
