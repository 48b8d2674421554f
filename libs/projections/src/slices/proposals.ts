import type { Proposal } from '../negotiation-state';
import { NOTHING, byString, frozen, slice } from './slice';
import type { LayeredMap } from './layered-map';
import { branchLayered, copyLayered, emptyLayered, getIn } from './layered-map';
import { putInOrder } from './sorted-list';

/**
 * Every proposal in the state, by id, and in answer order (`madeAt`, then `proposalId`; a
 * proposal only considered goes by its `consideredAt`).
 */
export interface Proposals {
  readonly byId: LayeredMap<Proposal>;
  readonly inOrder: Proposal[];
}

/** When a proposal takes its place in the answer: made, else first considered (one of them is set). */
const placedAt = (p: Proposal): string => p.madeAt ?? p.consideredAt ?? '';

export const proposalOrder = (a: Proposal, b: Proposal): number =>
  byString(placedAt(a), placedAt(b)) || byString(a.proposalId, b.proposalId);

/**
 * Proposals: made with status `proposed`, then answered (the status is the latest response).
 * A proposal made again under the same id is the proposal made anew. A considered ProposalMade
 * (contract v1.1, Modality) lists it `considered`, not made (`madeAt` null), until an occurred
 * one of the same id by the same party makes it (it keeps its `consideredAt`); reported weighed
 * again, or after it was made, it changes nothing, and a response to it answers nothing (the
 * domain refuses both the response and another party's ProposalMade).
 */
export const proposals = slice({
  reads: ['ProposalMade', 'ProposalResponded'],
  initial: (): Proposals => ({ byId: emptyLayered(), inOrder: [] }),
  evolve(state, development) {
    const id = development.data.proposalId;
    const old = getIn(state.byId, id);
    let proposal: Proposal;
    if (development.type === 'ProposalMade') {
      const considered = development.modality === 'considered';
      // Weighed again, or after it was made: the first report stands.
      if (considered && old) return state;
      const d = development.data;
      const at = development.occurredAt;
      proposal = {
        proposalId: d.proposalId,
        by: d.by,
        to: frozen(d.to.slice()),
        subject: d.subject,
        summary: d.summary,
        terms: d.terms ? frozen(d.terms.slice()) : NOTHING,
        status: considered ? 'considered' : 'proposed',
        counterProposalId: null,
        madeAt: considered ? null : at,
        // Weighed before it was made, by the party that makes it: that stays part of its story.
        consideredAt: considered ? at : old?.by === d.by ? old.consideredAt : null,
        updatedAt: at,
      };
    } else if (old && old.status !== 'considered') {
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
        consideredAt: old.consideredAt,
        updatedAt: development.occurredAt,
      };
    } else return state; // a response to a proposal not made (or only considered): nothing to answer
    state.byId.own.set(id, frozen(proposal));
    putInOrder(state.inOrder, old, proposal, proposalOrder);
    return state;
  },
  copy: ({ byId, inOrder }) => ({ byId: copyLayered(byId), inOrder: inOrder.slice() }),
  branch: ({ byId, inOrder }) => ({ byId: branchLayered(byId), inOrder: inOrder.slice() }),
  show: ({ inOrder }) => inOrder.slice(),
  size: ({ inOrder }) => inOrder.length,
});
