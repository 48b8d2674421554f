import type { Demand } from '../negotiation-state';
import { byString, frozen, slice } from './slice';
import type { LayeredMap } from './layered-map';
import { branchLayered, copyLayered, emptyLayered, getIn } from './layered-map';
import { putInOrder } from './sorted-list';

/** Every demand in the state, by (by, of, issue), and in answer order. */
export interface Demands {
  readonly byKey: LayeredMap<Demand>;
  readonly inOrder: Demand[];
  /** The keys made so far, shared by every copy (see DemandKeys). */
  readonly keys: DemandKeys;
}

/**
 * Each (by, of, issue)'s key, made once: joining the three and hashing a new string for every
 * demand folded cost the whole fold ~10% (issue 15); looking up the strings a development holds
 * (their hashes kept) does not. A key is the same whichever state makes it, so copies of a state
 * share its table.
 */
type DemandKeys = Map<string, Map<string, Map<string, string>>>;

function keyOf(keys: DemandKeys, by: string, of: string, issue: string): string {
  let byParty = keys.get(by);
  if (!byParty) keys.set(by, (byParty = new Map<string, Map<string, string>>()));
  let ofParty = byParty.get(of);
  if (!ofParty) byParty.set(of, (ofParty = new Map<string, string>()));
  let key = ofParty.get(issue);
  if (key === undefined) ofParty.set(issue, (key = `${by}\u0000${of}\u0000${issue}`));
  return key;
}

/** By `madeAt`, then `issue`, then `by` and `of` (the key: a total order). */
export const demandOrder = (a: Demand, b: Demand): number =>
  byString(a.madeAt, b.madeAt) ||
  byString(a.issue, b.issue) ||
  byString(a.by, b.by) ||
  byString(a.of, b.of);

/**
 * Demands: made open, closed by a resolution of the same (by, of, issue). Repeating an open
 * demand restates it (it keeps its `madeAt`); making it again once resolved reopens it.
 */
export const demands = slice({
  reads: ['DemandMade', 'DemandResolved'],
  initial: (): Demands => ({ byKey: emptyLayered(), inOrder: [], keys: new Map() }),
  evolve(state, development) {
    const { by, of, issue } = development.data;
    const key = keyOf(state.keys, by, of, issue);
    const old = getIn(state.byKey, key);
    let demand: Demand;
    if (development.type === 'DemandMade') {
      const madeAt = old?.status === 'open' ? old.madeAt : development.occurredAt;
      const { summary } = development.data;
      demand = { by, of, issue, summary, status: 'open', madeAt, resolvedAt: null };
    } else if (old?.status === 'open') {
      const { summary, madeAt } = old;
      demand = {
        by,
        of,
        issue,
        summary,
        status: 'resolved',
        madeAt,
        resolvedAt: development.occurredAt,
      };
    } else return state; // nothing open to resolve
    state.byKey.own.set(key, frozen(demand));
    putInOrder(state.inOrder, old, demand, demandOrder);
    return state;
  },
  copy: ({ byKey, inOrder, keys }) => ({
    byKey: copyLayered(byKey),
    inOrder: inOrder.slice(),
    keys,
  }),
  branch: ({ byKey, inOrder, keys }) => ({
    byKey: branchLayered(byKey),
    inOrder: inOrder.slice(),
    keys,
  }),
  show: ({ inOrder }) => inOrder.slice(),
  size: ({ inOrder }) => inOrder.length,
});
