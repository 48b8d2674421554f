/**
 * A list kept in answer order as the fold goes, so that an answer copies it instead of sorting
 * it. `order` must be total (it ends with the item's key), so every item has exactly one place.
 */
export type Order<V> = (a: V, b: V) => number;

/** Where `value` goes: after every item that does not sort after it. */
function placeOf<V>(list: readonly V[], value: V, order: Order<V>): number {
  // The fold goes in valid time: a new item usually sorts last.
  const last = list.length - 1;
  if (last < 0 || order(list[last]!, value) <= 0) return list.length;
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (order(list[mid]!, value) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Puts `value` in its place, replacing `old` (an item of the list) when given. */
export function putInOrder<V>(list: V[], old: V | undefined, value: V, order: Order<V>): void {
  if (old !== undefined) {
    const at = placeOf(list, old, order) - 1;
    if (order(old, value) === 0) {
      list[at] = value;
      return;
    }
    list.splice(at, 1);
  }
  const at = placeOf(list, value, order);
  if (at === list.length) list.push(value);
  else list.splice(at, 0, value);
}
