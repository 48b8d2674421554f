import type { Instant, MinEvidence } from '@parley/domain';
import { instantMs, parseInstant, toInstant } from '@parley/domain';
import type { FoldState } from '../evolve';
import { evolve } from '../evolve';
import type { NegotiationTimeline } from '../timeline';

/** A place in valid time: the development with this (`occurredAt`, revision), as `/events` cursors name it. */
export interface ValidTimeKey {
  occurredAt: Instant;
  revision: number;
}

/** Sorts before every canonical instant (`0000-01-01T00:00:00.000Z` is the earliest a development can carry). */
export const BEFORE_EVERYTHING: Instant = toInstant(
  instantMs(parseInstant('0000-01-01', 'start-of-day')!) - 1,
);

/** The next instant after `t`: instants have millisecond precision, so `(t, …]` is `[justAfter(t), …]`. */
export const justAfter = (t: Instant): Instant => toInstant(instantMs(t) + 1);
export const justBefore = (t: Instant): Instant => toInstant(instantMs(t) - 1);

/** Where a pass over history starts: after every development with `occurredAt <= asOf`, or just after one development. */
export type StartPoint = { asOf: Instant } | { after: ValidTimeKey };

/**
 * The folded state at a start point, as known at `knownAt`, that the caller may go on evolving in
 * valid-time order. It comes from the timeline's own fold (and so from its snapshots), which is
 * the caller's own copy: evolving it further never touches what the timeline keeps. With
 * `minEvidence`, only the developments such a fold takes (the caller goes on with those alone).
 */
export function foldFrom(
  timeline: NegotiationTimeline,
  start: StartPoint,
  knownAt: Instant | null,
  minEvidence?: MinEvidence,
): FoldState {
  const selection = minEvidence === undefined ? {} : { minEvidence };
  if ('asOf' in start) return timeline.fold({ asOf: start.asOf, knownAt, ...selection });
  const { occurredAt, revision } = start.after;
  const state = timeline.fold({ asOf: justBefore(occurredAt), knownAt, ...selection });
  // The developments sharing the key's occurredAt, up to the key's revision.
  const sameInstant = timeline.list({
    from: occurredAt,
    to: occurredAt,
    knownAt,
    includeRetracted: false,
    limit: Infinity,
    ...selection,
  });
  for (const { development } of sameInstant.items) {
    if (development.revision > revision) break;
    if (development.revision !== 0) evolve(state, development);
  }
  return state;
}
