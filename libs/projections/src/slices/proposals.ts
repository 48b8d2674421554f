import type { Proposal } from '../negotiation-state';
import { NOTHING, byString, frozen, slice } from './slice';
import type { LayeredMap } from './layered-map';
import { branchLayered, copyLayered, emptyLayered, getIn } from './layered-map';
import { putInOrder } from './sorted-list';

/** Every proposal in the state, by id, and in answer order (`madeAt`, then `proposalId`). */
export interface Proposals {
  readonly byId: LayeredMap<Proposal>;
  readonly inOrder: Proposal[];
}

export const proposalOrder = (a: Proposal, b: Proposal): number =>
  byString(a.madeAt, b.madeAt) || byString(a.proposalId, b.proposalId);

/**
 * Proposals: made with status `proposed`, then answered (the status is the latest response).
 * A proposal made again under the same id is the proposal made anew.
 */
export const proposals = slice({
  reads: ['ProposalMade', 'ProposalResponded'],
  initial: (): Proposals => ({ byId: emptyLayered(), inOrder: [] }),
  evolve(state, development) {
    const id = development.data.proposalId;
    const old = getIn(state.byId, id);
    let proposal: Proposal;
    if (development.type === 'ProposalMade') {
      const d = development.data;
      proposal = {
        proposalId: d.proposalId,
        by: d.by,
        to: frozen(d.to.slice()),
        subject: d.subject,
        summary: d.summary,
        terms: d.terms ? frozen(d.terms.slice()) : NOTHING,
        status: 'proposed',
        counterProposalId: null,
        madeAt: development.occurredAt,
        updatedAt: development.occurredAt,
      };
    } else if (old) {
      proposal = {
        proposalId: old.proposalId,
        by: old.by,
        to: old.to,
        subject: old.subject,
        summary: old.summary,
        terms: old.terms,
        status: development.data.response,
        counterProposalId: development.data.counterProposalId ?? old.counterProposalId,
        madeAt: old.madeAt,
        updatedAt: development.occurredAt,
      };
    } else return state; // a response to a proposal not made: nothing to answer
    state.byId.own.set(id, frozen(proposal));
    putInOrder(state.inOrder, old, proposal, proposalOrder);
    return state;
  },
  copy: ({ byId, inOrder }) => ({ byId: copyLayered(byId), inOrder: inOrder.slice() }),
  branch: ({ byId, inOrder }) => ({ byId: branchLayered(byId), inOrder: inOrder.slice() }),
  show: ({ inOrder }) => inOrder.slice(),
  size: ({ inOrder }) => inOrder.length,
});
