/**
 * `JSON.stringify(value)` as UTF-8 bytes, made in pieces: the answer (a list or an object) and the
 * lists it holds are written one item at a time, each item stringified on its own, and the pieces
 * joined into strings of a few KB before they are encoded.
 *
 * Why: V8 builds a long JSON.stringify result as a chain of parts, and whatever first reads it
 * whole (the ETag's digest, the socket's write) copies it into one string. Past 128 KB that string
 * is allocated in the large-object space, which only a full garbage collection frees, and the
 * full collections walk the whole heap, timelines and snapshots included: in a script, stringifying
 * a 146 KB answer (GET …/tariffs of 100k developments) and reading it took 1.3-1.8 ms against
 * 0.4 ms for stringifying it alone, and 0.3 ms at 105 KB. Pieces of a few KB stay in the young
 * generation, and the bytes they make are hashed and written as they are.
 *
 * The bytes are exactly those of `JSON.stringify(value)`: same keys in the same order, `undefined`,
 * functions and symbols left out of objects and `null` in lists, `toJSON` called with the key;
 * anything that is not a plain object or a list (a Date, a Map, a class) is stringified whole, as
 * is every item of the lists the answer holds.
 *
 * An item of an answer that is a list, when it can never change (frozen, and everything in it
 * frozen: plain objects and lists of plain values, no getters, no toJSON), is encoded once: from
 * the second answer that holds it on, its bytes are kept beside it and copied into every later
 * one, and so are those of the objects it holds. The projections share such items between answers
 * (GET …/tariffs: a snapshot's tariff pairs, with their evidence status), so most of a large
 * answer is written from bytes made before. The items of lists an object answer holds
 * (GET …/state) are not kept: its thousands of items at 100k, asked at any date, would keep the
 * bytes of the whole history.
 */
export function jsonBytes(value: unknown): Buffer | string | undefined {
  if (!isDescended(value)) return JSON.stringify(value);
  const pieces = new Pieces();
  writePieces(value, 0, pieces);
  return joined(pieces.done());
}

/** About how long the strings that are encoded get (well under V8's 128 KB of a large object). */
const CHUNK = 16 * 1024;

/** The text written so far, in strings of about CHUNK characters (one piece may be longer), and bytes kept from before. */
class Pieces {
  private readonly chunks: (string | Buffer)[] = [];
  private current = '';

  push(piece: string): void {
    this.current += piece;
    if (this.current.length >= CHUNK) {
      this.chunks.push(this.current);
      this.current = '';
    }
  }

  pushBytes(bytes: Buffer): void {
    if (this.current.length > 0) this.chunks.push(this.current);
    this.current = '';
    this.chunks.push(bytes);
  }

  done(): (string | Buffer)[] {
    if (this.current.length > 0) this.chunks.push(this.current);
    return this.chunks;
  }
}

/**
 * The JSON bytes of items that never change (isFixed), by item: at most about KEPT_BYTES of them,
 * after which they are let go and kept afresh, so that what is kept stays bounded whatever is
 * asked (the bench's GET …/tariffs at random dates of 100k keep a few MB). The bytes are views of
 * slabs of SLAB bytes (as Node's own pool is), not one allocation each: small allocations freed
 * one by one are kept by the allocator, and the process grows.
 */
let fixedBytes = new WeakMap<object, Buffer>();
let keptBytes = 0;
const KEPT_BYTES = 8 * 1024 * 1024;
const SLAB = 256 * 1024;
let slab = Buffer.alloc(0);
let slabUsed = 0;

/** The pieces' bytes, kept for `object`. */
function keepBytes(object: object, chunks: readonly (string | Buffer)[]): Buffer {
  const length = byteLengthOf(chunks);
  keptBytes += length;
  if (keptBytes > KEPT_BYTES) {
    fixedBytes = new WeakMap();
    keptBytes = length;
  }
  let bytes: Buffer;
  if (length > SLAB / 8) bytes = Buffer.allocUnsafeSlow(length);
  else {
    if (slabUsed + length > slab.length) {
      slab = Buffer.allocUnsafeSlow(SLAB);
      slabUsed = 0;
    }
    bytes = slab.subarray(slabUsed, slabUsed + length);
    slabUsed += length;
  }
  joinInto(bytes, chunks);
  fixedBytes.set(object, bytes);
  return bytes;
}

/** Objects and lists found fixed (isFixed) before. */
const fixed = new WeakSet<object>();

/**
 * Whether `value`'s JSON can never change: a plain value, or a frozen plain object or list whose
 * properties are all plain data (no getter, no toJSON) and fixed themselves.
 */
function isFixed(value: unknown): boolean {
  if (value === null) return true;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'undefined')
    return true;
  if (type !== 'object') return false;
  const object = value as object;
  if (fixed.has(object)) return true;
  if (!Object.isFrozen(object)) return false;
  const prototype: unknown = Object.getPrototypeOf(object);
  if (
    !(Array.isArray(object)
      ? prototype === Array.prototype
      : prototype === Object.prototype || prototype === null) ||
    'toJSON' in object
  ) {
    return false;
  }
  // A frozen list's holes stay holes (written as null): its keys are what it holds.
  for (const key of Object.keys(object)) {
    const property = Object.getOwnPropertyDescriptor(object, key);
    if (property === undefined || !('value' in property) || !isFixed(property.value)) return false;
  }
  fixed.add(object);
  return true;
}

/** Writes the list item `item` (at index `key`) whole: from its kept bytes when it never changes. */
function writeListItem(item: unknown, key: string, pieces: Pieces, keep: boolean): void {
  if (keep && item !== null && typeof item === 'object') {
    const kept = fixedBytes.get(item);
    if (kept) return pieces.pushBytes(kept);
    if (isFixed(item)) return writeFixed(item, pieces);
  }
  const text = stringified(item, key);
  // What JSON leaves out of an object (undefined, a function, a symbol) is null in a list.
  pieces.push(text ?? 'null');
}

/** Fixed objects written once already: the next time, their bytes are kept. */
const writtenOnce = new WeakSet<object>();

/**
 * Writes an object or list found fixed as JSON.stringify would, from the kept bytes of the
 * objects it holds (an answer's new pair holds lines kept from earlier answers). An object's own
 * bytes are kept the second time it is written: one written once (a pair the answer folded just
 * now) costs nothing to keep. A list is written from its items, never kept whole: the object
 * holding it keeps it with its own bytes.
 */
function writeFixed(object: object, pieces: Pieces): void {
  const kept = fixedBytes.get(object);
  if (kept) return pieces.pushBytes(kept);
  if (Array.isArray(object) || !writtenOnce.has(object)) {
    if (!Array.isArray(object)) writtenOnce.add(object);
    return writeFixedParts(object, pieces);
  }
  const own = new Pieces();
  writeFixedParts(object, own);
  pieces.pushBytes(keepBytes(object, own.done()));
}

function writeFixedParts(object: object, pieces: Pieces): void {
  const write = (value: unknown): void => {
    if (value !== null && typeof value === 'object') writeFixed(value, pieces);
    else pieces.push(JSON.stringify(value));
  };
  if (Array.isArray(object)) {
    pieces.push('[');
    for (let i = 0; i < object.length; i++) {
      if (i > 0) pieces.push(',');
      // undefined (or a hole) is null in a list.
      const item: unknown = object[i];
      if (item === undefined) pieces.push('null');
      else write(item);
    }
    pieces.push(']');
    return;
  }
  const record = object as Record<string, unknown>;
  let first = true;
  pieces.push('{');
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value === undefined) continue;
    pieces.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    write(value);
  }
  pieces.push('}');
}

/** The pieces' bytes, in one buffer. */
function joined(chunks: readonly (string | Buffer)[]): Buffer {
  return joinInto(Buffer.allocUnsafe(byteLengthOf(chunks)), chunks);
}

/** How many bytes the pieces take. */
function byteLengthOf(chunks: readonly (string | Buffer)[]): number {
  let length = 0;
  for (const chunk of chunks)
    length += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  return length;
}

/** Writes the pieces into `bytes`, which is as long as they are. */
function joinInto(bytes: Buffer, chunks: readonly (string | Buffer)[]): Buffer {
  let at = 0;
  for (const chunk of chunks) {
    if (typeof chunk === 'string') {
      // The commas and brackets between kept bytes: one ASCII character, set as it is.
      const code = chunk.length === 1 ? chunk.charCodeAt(0) : 0x80;
      if (code < 0x80) bytes[at++] = code;
      else at += bytes.write(chunk, at);
    } else {
      bytes.set(chunk, at);
      at += chunk.length;
    }
  }
  return bytes;
}

/** A list, or an object JSON.stringify reads as its own enumerable keys (no toJSON, no class). */
function isDescended(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Whether `value`, at `depth` (the answer is at 0), is written item by item: the answer, and the lists it holds. */
const writtenByItem = (value: unknown, depth: number): value is object =>
  (depth === 0 || (depth === 1 && Array.isArray(value))) && isDescended(value);

function writePieces(container: object, depth: number, pieces: Pieces): void {
  if (Array.isArray(container)) {
    pieces.push('[');
    for (let i = 0; i < container.length; i++) {
      if (i > 0) pieces.push(',');
      const item: unknown = container[i];
      if (writtenByItem(item, depth + 1)) writePieces(item, depth + 1, pieces);
      // Kept: the items of an answer that is a list (not those of a list an answer holds).
      else writeListItem(item, String(i), pieces, depth === 0);
    }
    pieces.push(']');
    return;
  }
  const record = container as Record<string, unknown>;
  pieces.push('{');
  let first = true;
  for (const key of Object.keys(record)) {
    const value = record[key];
    const byItem = writtenByItem(value, depth + 1);
    const text = byItem ? undefined : stringified(value, key);
    // Nothing to write: the key goes too, as in JSON.stringify.
    if (!byItem && text === undefined) continue;
    pieces.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    if (byItem) writePieces(value, depth + 1, pieces);
    else pieces.push(text!);
  }
  pieces.push('}');
}

/** JSON.stringify of `value` as held under `key`: a toJSON is called with that key, as JSON.stringify does. */
function stringified(value: unknown, key: string): string | undefined {
  if (
    value === null ||
    (typeof value !== 'object' && typeof value !== 'function') ||
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  ) {
    return JSON.stringify(value);
  }
  const holder = JSON.stringify({ [key]: value });
  const prefix = JSON.stringify(key).length + 2; // {"key":
  return holder.length > prefix ? holder.slice(prefix, -1) : undefined;
}
