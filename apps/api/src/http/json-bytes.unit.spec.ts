import { describe, expect, it, jest } from '@jest/globals';
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

  it('writes an item that can never change (frozen all through) from bytes kept from an earlier answer, the same as JSON.stringify', () => {
    const deepFrozen = <T>(value: T): T => {
      if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
        for (const inner of Object.values(value)) deepFrozen(inner);
        Object.freeze(value);
      }
      return value;
    };
    const items = fc.array(
      fc.oneof(
        fc.anything({ maxDepth: 3, withNullPrototype: true }).map(deepFrozen),
        fc.anything({ maxDepth: 3 }),
      ),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(items, items, (some, others) => {
        const answer = [...some, ...others, ...some];
        expect(written(answer)).toBe(expected(answer));
        expect(written({ list: answer })).toBe(expected({ list: answer }));
        expect(written(answer)).toBe(expected(answer));
      }),
      { numRuns: 1000 },
    );
    // Written again, nothing is stringified: the bytes are those kept.
    const pair = deepFrozen({
      imposedBy: 'US',
      measures: [{ measure: 'x', rate: 10 }],
      note: null,
    });
    expect(written([pair, pair])).toBe(expected([pair, pair]));
    const stringify = jest.spyOn(JSON, 'stringify');
    try {
      expect(written([pair, pair])).toBe(
        `[${'{"imposedBy":"US","measures":[{"measure":"x","rate":10}],"note":null}'},${'{"imposedBy":"US","measures":[{"measure":"x","rate":10}],"note":null}'}]`,
      );
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
  });

  it('writes an item as it is now when something in it may still change: an unfrozen list, a getter, a toJSON, a class', () => {
    const lines: unknown[] = [{ measure: 'x' }];
    const holding = Object.freeze({ lines });
    let rate = 10;
    const getter = Object.freeze(
      Object.defineProperty({}, 'rate', { enumerable: true, get: () => rate }),
    );
    const keyed = Object.freeze({ toJSON: () => ({ rate }) });
    class Rate {
      constructor(readonly rate: number) {}
    }
    const instance = Object.freeze(new Rate(1));
    const answer = [holding, getter, keyed, instance, Object.freeze([lines])];
    // Written twice: anything kept would be kept by now.
    expect(written(answer)).toBe(expected(answer));
    expect(written(answer)).toBe(expected(answer));
    lines.push({ measure: 'y' });
    rate = 25;
    expect(written(answer)).toBe(expected(answer));
    expect(written(answer)).toContain('{"measure":"y"}');
    expect(written(answer)).toContain('{"rate":25}');
  });

  it('throws where JSON.stringify throws: a cycle, a BigInt', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    expect(() => jsonBytes(cycle)).toThrow(TypeError);
    expect(() => jsonBytes([{ n: 1n }])).toThrow(TypeError);
  });
});
