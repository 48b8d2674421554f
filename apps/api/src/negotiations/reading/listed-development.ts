import type { RecordedDevelopment } from '@parley/domain';
import type { Evidence, NegotiationTimeline } from '@parley/projections';

/**
 * A development as the log shows it (GET …/events, /changes, /replay, /live): the envelope with
 * its place in the stream, whether it was retracted and its evidence (contract v1.1; null for what
 * is not a report: the opening, retractions, confirmations, disputes, unreadable ones). An
 * unreadable one is shown as it was stored, under the type it was stored as, with `unreadable`
 * saying why no fold reads it.
 */
export function listedDevelopment(
  development: RecordedDevelopment,
  retracted: boolean,
  evidence: Evidence | null,
): Record<string, unknown> {
  if (development.type !== 'DevelopmentUnreadable') {
    // The precision is always said (contract v1.1); the modality, like every envelope field, as posted.
    return {
      ...development,
      occurredPrecision: development.occurredPrecision ?? 'instant',
      retracted,
      evidence,
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
    evidence,
    unreadable: reason,
  };
}

/**
 * A development as the log lists it at revision `known` of its timeline: retracted and with its
 * evidence as known then. Every log answer (GET …/events, /changes, /replay, /live) lists this way.
 */
export function listedAt(
  timeline: NegotiationTimeline,
  development: RecordedDevelopment,
  known: number,
): Record<string, unknown> {
  return listedDevelopment(
    development,
    timeline.isRetracted(development.eventId, known),
    timeline.evidenceAt(development.eventId, known) ?? null,
  );
}
