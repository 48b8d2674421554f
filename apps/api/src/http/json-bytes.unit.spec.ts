import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { jsonBytes } from './json-bytes';

/** What Fastify wrote before: JSON.stringify's text, as UTF-8. */
const expected = (value: unknown): string | undefined => JSON.stringify(value);
const written = (value: unknown): string | undefined => {
  const bytes = jsonBytes(value);
  return Buffer.isBuffer(bytes) ? bytes.toString('utf8') : bytes;
};

describe('JSON answers written in pieces (jsonBytes)', () => {
  it('are the bytes of JSON.stringify for any value, nested lists and objects, dates, maps, odd keys, undefined and functions included', () => {
    const values = fc.anything({
      maxDepth: 4,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withBoxedValues: true,
      withSparseArray: true,
      withTypedArray: true,
      key: fc.oneof(
        fc.string(),
        fc.constantFrom('__proto__', 'toJSON', '0', '"', '\u2028', '\ud800'),
      ),
    });
    const withFunctions = fc.oneof(
      values,
      fc.dictionary(
        fc.string(),
        fc.oneof(
          values,
          fc.constant(undefined),
          fc.constant(() => 1),
        ),
      ),
      fc.array(fc.oneof(values, fc.constant(undefined), fc.constant(Symbol('s')))),
    );
    fc.assert(
      fc.property(withFunctions, (value) => {
        expect(written(value)).toBe(expected(value));
        // The top-level list or object in two pieces or more: a list of them, and one holding it.
        expect(written([value, { value }])).toBe(expected([value, { value }]));
        expect(written({ a: [value], b: { value } })).toBe(expected({ a: [value], b: { value } }));
      }),
      { numRuns: 2000 },
    );
  });

  it('calls toJSON with the key it is held under, and leaves out what it turns into undefined', () => {
    const keyed = { toJSON: (key: string) => `as ${key}` };
    const nothing = { toJSON: () => undefined };
    const answer = {
      list: [keyed, nothing, { keyed, nothing, at: new Date(0) }],
      keyed,
      nothing,
      deeper: { list: [keyed] },
    };
    expect(written(answer)).toBe(JSON.stringify(answer));
    expect(written(answer)).toContain('"as 0"');
    expect(written(answer)).toContain('"keyed":"as keyed"');
    expect(written(answer)).not.toContain('"nothing"');
  });

  it('writes a large answer as bytes, in pieces of one item each, without a long string', () => {
    const pairs = Array.from({ length: 200 }, (_, i) => ({
      imposedBy: `P${i}`,
      measures: Array.from({ length: 10 }, (_, j) => ({ measure: `m${j}`, note: 'é…'.repeat(40) })),
    }));
    const bytes = jsonBytes(pairs);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect((bytes as Buffer).length).toBeGreaterThan(128 * 1024);
    expect((bytes as Buffer).equals(Buffer.from(JSON.stringify(pairs)))).toBe(true);
  });

  it('throws where JSON.stringify throws: a cycle, a BigInt', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    expect(() => jsonBytes(cycle)).toThrow(TypeError);
    expect(() => jsonBytes([{ n: 1n }])).toThrow(TypeError);
  });
});
