import type { Instant, MinEvidence, RecordedDevelopment } from '@parley/domain';
import type { NegotiationTimeline } from '../timeline';
import type { StartPoint, ValidTimeKey } from './fold-from';
import { BEFORE_EVERYTHING, foldFrom, justAfter } from './fold-from';
import type { StateSummary } from './state-summary';
import { RunningSummary } from './state-summary';

export interface ReplayQuery {
  /** Developments with `occurredAt` in (from, to]; null: from the beginning. */
  from: Instant | null;
  to: Instant;
  knownAt: Instant | null;
  /** Continue after this development (a page's last). */
  after?: ValidTimeKey;
  limit: number;
  /** Only the developments a fold with this minEvidence takes, each with the state they make. */
  minEvidence?: MinEvidence;
}

export interface ReplayStep {
  development: RecordedDevelopment;
  /** The state right after it, as of its `occurredAt`. */
  state: StateSummary;
}

/**
 * The developments of a range in valid-time order, each with the state summary right after it.
 * Folds once to where the page starts (the timeline's fold), then evolves that state one
 * development at a time, keeping the summary up to date as it goes (RunningSummary): the cost is
 * a state lookup plus the page.
 */
export function replay(
  timeline: NegotiationTimeline,
  query: ReplayQuery,
): { items: ReplayStep[]; hasMore: boolean } {
  const { from, to, knownAt, after, limit, minEvidence } = query;
  const selection = minEvidence === undefined ? {} : { minEvidence };
  if (from !== null && from >= to) return { items: [], hasMore: false };
  // A cursor from before the range (not one this endpoint gave) is ignored: the page starts at `from`.
  const continues = after !== undefined && (from === null || after.occurredAt > from);
  const start: StartPoint = continues ? { after } : { asOf: from ?? BEFORE_EVERYTHING };
  const state = foldFrom(timeline, start, knownAt, minEvidence);
  const page = timeline.list({
    ...(from === null ? {} : { from: justAfter(from) }),
    to,
    knownAt,
    includeRetracted: false,
    ...(continues ? { after } : {}),
    limit,
    ...selection,
  });
  const summary = new RunningSummary(state);
  const items = page.items.map(({ development }) => ({
    development,
    state: summary.step(development),
  }));
  return { items, hasMore: page.hasMore };
}
