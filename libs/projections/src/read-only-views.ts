/**
 * Read-only Map and Set views computed from other structures on demand, so that a Situation can
 * name "every proposal id in use" or "every recorded event" without copying the whole history
 * for each decision. They reflect their source at the time they are read.
 */

export class MapView<K, V> implements ReadonlyMap<K, V> {
  constructor(
    private readonly lookup: (key: K) => V | undefined,
    private readonly enumerate: () => Iterable<[K, V]>,
    private readonly count?: () => number,
  ) {}

  get(key: K): V | undefined {
    return this.lookup(key);
  }

  has(key: K): boolean {
    return this.lookup(key) !== undefined;
  }

  get size(): number {
    if (this.count) return this.count();
    let size = 0;
    for (const entry of this.enumerate()) if (entry !== undefined) size++;
    return size;
  }

  *entries(): MapIterator<[K, V]> {
    yield* this.enumerate();
  }

  *keys(): MapIterator<K> {
    for (const [key] of this.enumerate()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.enumerate()) yield value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.enumerate()) callback.call(thisArg, value, key, this);
  }
}

export class SetView<T> implements ReadonlySet<T> {
  constructor(
    private readonly test: (value: T) => boolean,
    private readonly enumerate: () => Iterable<T>,
  ) {}

  has(value: T): boolean {
    return this.test(value);
  }

  get size(): number {
    let size = 0;
    for (const entry of this.enumerate()) if (entry !== undefined) size++;
    return size;
  }

  *values(): SetIterator<T> {
    yield* this.enumerate();
  }

  keys(): SetIterator<T> {
    return this.values();
  }

  *entries(): SetIterator<[T, T]> {
    for (const value of this.enumerate()) yield [value, value];
  }

  [Symbol.iterator](): SetIterator<T> {
    return this.values();
  }

  forEach(callback: (value: T, key: T, set: ReadonlySet<T>) => void, thisArg?: unknown): void {
    for (const value of this.enumerate()) callback.call(thisArg, value, value, this);
  }
}
