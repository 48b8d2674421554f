import type { Draft } from '@parley/domain/testing';
import { NEGOTIATION, endOf, recorded, specification } from '@parley/domain/testing';
import type { NegotiationState } from '../negotiation-state';
import { NegotiationTimeline } from '../timeline';

/** The timeline of one negotiation holding `drafts`, recorded in the order given. */
export function timelineOf(...drafts: readonly Draft[]): NegotiationTimeline {
  const timeline = new NegotiationTimeline(NEGOTIATION);
  if (!timeline.append(recorded(...drafts))) throw new Error('the recorded stream has a gap');
  return timeline;
}

/** A perspective as a client writes it: a date means the end of that day. */
export interface PerspectiveText {
  asOf: string;
  knownAt?: string;
}

/**
 * given(developments, in recording order).when({ asOf, knownAt? }).then(state): the state of
 * play as the app answers it, from a timeline of exactly those developments.
 */
export const given = specification(
  (history: readonly Draft[], perspective: PerspectiveText): NegotiationState =>
    timelineOf(...history).stateAt({
      asOf: endOf(perspective.asOf),
      knownAt: perspective.knownAt === undefined ? null : endOf(perspective.knownAt),
    }),
);
