import type { Agreement } from '../negotiation-state';
import { NOTHING, frozen, slice } from './slice';

/** Agreements reached, in the order they were reached (the fold's: by `at`). */
export const agreements = slice({
  reads: ['AgreementReached'],
  initial: (): Agreement[] => [],
  evolve(state, { data, occurredAt }) {
    state.push(
      frozen({
        parties: frozen(data.parties.slice()),
        summary: data.summary,
        terms: data.terms ? frozen(data.terms.slice()) : NOTHING,
        at: occurredAt,
        effectiveAt: data.effectiveAt ?? null,
      }),
    );
    return state;
  },
  copy: (state) => state.slice(),
  show: (state) => state.slice(),
  size: (state) => state.length,
});
