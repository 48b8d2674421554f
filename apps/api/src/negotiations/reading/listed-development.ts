import type { RecordedDevelopment } from '@parley/domain';

/**
 * A development as the log shows it (GET …/events, /changes, /replay, /live): the envelope with
 * its place in the stream and whether it was retracted. An unreadable one is shown as it was
 * stored, under the type it was stored as, with `unreadable` saying why no fold reads it.
 */
export function listedDevelopment(
  development: RecordedDevelopment,
  retracted: boolean,
): Record<string, unknown> {
  if (development.type !== 'DevelopmentUnreadable') {
    // The precision is always said (contract v1.1); the modality, like every envelope field, as posted.
    return {
      ...development,
      occurredPrecision: development.occurredPrecision ?? 'instant',
      retracted,
    };
  }
  const { storedType, stored, reason } = development.data;
  const { eventId, occurredAt, negotiationId, revision, recordedAt } = development;
  return {
    ...stored,
    type: storedType,
    eventId,
    occurredAt,
    negotiationId,
    revision,
    recordedAt,
    retracted,
    unreadable: reason,
  };
}
