import type { StanceItem } from '../negotiation-state';
import { byString, frozen, slice } from './slice';

/** Each party's latest stance, from statements that state one; shown by party. */
export type Stances = Map<string, StanceItem>;

export const stances = slice({
  reads: ['StatementMade'],
  initial: (): Stances => new Map(),
  evolve(state, { data, occurredAt }) {
    if (data.stance) {
      state.set(
        data.party,
        frozen({ party: data.party, stance: data.stance, speaker: data.speaker, at: occurredAt }),
      );
    }
    return state;
  },
  copy: (state) => new Map(state),
  show: (state) => [...state.values()].sort((a, b) => byString(a.party, b.party)),
  size: (state) => state.size,
});
