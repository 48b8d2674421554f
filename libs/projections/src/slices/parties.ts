import type { Party } from '@parley/domain';
import { frozen, slice } from './slice';

/** The title: given when the negotiation is opened. */
export const title = slice({
  reads: ['NegotiationOpened'],
  initial: (): string => '',
  evolve: (_title, { data }) => data.title,
  copy: (title) => title,
  show: (title) => title,
  size: () => 1,
});

/**
 * The parties, in the order they were declared: the founding ones when the negotiation is
 * opened, then each that joins (a party declared twice keeps its first name).
 */
export type Parties = Map<string, Party>;

export const parties = slice({
  reads: ['NegotiationOpened', 'PartyJoined'],
  initial: (): Parties => new Map(),
  evolve(state, development) {
    if (development.type === 'NegotiationOpened') {
      for (const party of development.data.parties) state.set(party.code, frozen({ ...party }));
    } else if (!state.has(development.data.party.code)) {
      state.set(development.data.party.code, frozen({ ...development.data.party }));
    }
    return state;
  },
  copy: (state) => new Map(state),
  show: (state) => [...state.values()],
  size: (state) => state.size,
});
