import { expect } from '@jest/globals';

/**
 * A partial expectation, compared as `toMatchObject` compares: an object matches when each
 * key given matches, an array when it has the same length and each element matches.
 */
export type Expected<T> = T extends readonly (infer E)[]
  ? readonly Expected<E>[]
  : T extends object
    ? { [K in keyof T]?: Expected<T[K]> }
    : T;

type ErrorType<E extends Error> = abstract new (...args: never[]) => E;

export interface Outcome<Result> {
  /** Then the result is exactly `expected`. */
  then(expected: Result): void;
  /** Then the result has at least these fields (arrays: same length, each element matching). */
  thenMatches(expected: Expected<Result>): void;
  /** Then these free-form assertions hold of the result. */
  thenVerify(assert: (result: Result) => void): void;
  /** Then it throws an error of `type` with at least these fields. */
  thenThrows<E extends Error>(type: ErrorType<E>, expected?: Expected<E>): void;
}

export interface Specification<Given, When, Result> {
  (...given: Given[]): { when(when: When): Outcome<Result> };
}

/**
 * Tests as specifications: `given(...facts).when(action).then(outcome)`. `run` says what
 * "when" means for the thing under test; it is called once per assertion, so every
 * specification starts from its own facts and shares nothing with another.
 */
export function specification<Given, When, Result>(
  run: (given: readonly Given[], when: When) => Result,
): Specification<Given, When, Result> {
  return (...given: Given[]) => ({
    when(when: When): Outcome<Result> {
      const act = (): Result => run(given, when);
      return {
        then: (expected) => expect(act()).toEqual(expected),
        thenMatches: (expected) => expect(act()).toMatchObject(expected as Record<string, unknown>),
        thenVerify: (assert) => assert(act()),
        thenThrows: (type, expected) => {
          let thrown: unknown = undefined;
          let result: Result | undefined = undefined;
          try {
            result = act();
          } catch (error) {
            thrown = error;
          }
          if (thrown === undefined) {
            throw new Error(
              `expected ${type.name} to be thrown, but it returned ${JSON.stringify(result)}`,
            );
          }
          expect(thrown).toBeInstanceOf(type);
          if (expected !== undefined) expect(thrown).toMatchObject(expected);
        },
      };
    },
  });
}
