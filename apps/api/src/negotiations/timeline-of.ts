import type { Instant } from '@parley/domain';
import type { NegotiationReadModel, NegotiationTimeline } from '@parley/projections';
import { Problem } from '../http/problem';

/** Whether the tracker had recorded the negotiation by `knownAt` (null: now). */
export const isKnownAt = (timeline: NegotiationTimeline, knownAt: Instant | null): boolean =>
  knownAt === null || timeline.revisionKnownAt(knownAt) >= 0;

/** The negotiation's timeline; 404 when it does not exist, or was not recorded yet at `knownAt`. */
export function timelineOf(
  readModel: NegotiationReadModel,
  negotiationId: string,
  knownAt: Instant | null = null,
): NegotiationTimeline {
  const timeline = readModel.timeline(negotiationId);
  if (!timeline) throw Problem.notFound(negotiationId);
  if (!isKnownAt(timeline, knownAt)) {
    throw new Problem(
      404,
      'negotiation-not-known-yet',
      'Negotiation not known at knownAt',
      `The tracker had not recorded negotiation "${negotiationId}" yet at ${knownAt}`,
    );
  }
  return timeline;
}
