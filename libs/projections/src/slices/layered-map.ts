/**
 * Values by key, those set here over those of a map that never changes any more (a
 * snapshot's), read through: so a snapshot or an answer that folds a little further on a
 * large state copies what changed, not every value.
 */
export interface LayeredMap<V> {
  readonly own: Map<string, V>;
  readonly under: ReadonlyMap<string, V> | null;
}

export const emptyLayered = <V>(): LayeredMap<V> => ({ own: new Map(), under: null });

export function getIn<V>(map: LayeredMap<V>, key: string): V | undefined {
  const value = map.own.get(key);
  return value !== undefined ? value : map.under?.get(key);
}

/** A copy to change on; it shares `under`, and is made flat once its own part outgrows an eighth of it. */
export function copyLayered<V>({ own, under }: LayeredMap<V>): LayeredMap<V> {
  if (under === null || own.size * 8 > under.size) {
    const flat = new Map(under ?? own);
    if (under !== null) for (const [key, value] of own) flat.set(key, value);
    return { own: flat, under: null };
  }
  return { own: new Map(own), under };
}

/** A map to change on that reads through to `map`, which must not change any more. */
export const branchLayered = <V>(map: LayeredMap<V>): LayeredMap<V> =>
  map.under === null ? { own: new Map(), under: map.own } : copyLayered(map);

/** Every entry, `under`'s first in its order, as a flat map would hold them. */
export function* entriesOf<V>({ own, under }: LayeredMap<V>): IterableIterator<[string, V]> {
  if (under) for (const [key, value] of under) yield [key, own.get(key) ?? value];
  for (const entry of own) if (!under?.has(entry[0])) yield entry;
}
