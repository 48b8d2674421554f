import type { Instant } from '@parley/domain';
import { productDigits } from '@parley/domain';
import { NOTHING, byString, frozen } from './slice';

/**
 * Which goods a tariff line covers (contract v1.1, Product scope): TariffScopeChanged steps, each
 * from its `effectiveAt` (announced by T, as tariff changes are), applied in order of
 * `effectiveAt`, then fold order. An exclusion takes the codes it covers out of the line; an
 * inclusion puts them back: it lifts the exclusions inside it, and inside a wider exclusion it
 * is kept as an exception (`included`), so "all of 8517 but 8517.13" can be said. A product
 * follows the most specific code that covers it.
 */
export interface ScopeStep {
  readonly effectiveAt: Instant;
  readonly announcedAt: Instant;
  readonly revision: number;
  readonly exclude: readonly string[];
  readonly include: readonly string[];
}

/** A line's scope steps in the order they apply; a value (a change makes a new one), so copies share it. */
export type ScopeHistory = readonly ScopeStep[];

/** A line's scope at one time: the codes excluded, the exceptions inside them, and whether a step applied was back-dated. */
export interface ScopeAt {
  readonly excluded: readonly string[];
  readonly included: readonly string[];
  readonly retroactive: boolean;
}

const stepOrder = (a: ScopeStep, b: ScopeStep): number =>
  byString(a.effectiveAt, b.effectiveAt) ||
  byString(a.announcedAt, b.announcedAt) ||
  a.revision - b.revision;

/** `scope` with `step` in its place. */
export function withScopeStep(scope: ScopeHistory, step: ScopeStep): ScopeHistory {
  let at = scope.length;
  while (at > 0 && stepOrder(scope[at - 1]!, step) > 0) at--;
  return frozen([...scope.slice(0, at), step, ...scope.slice(at)]);
}

/** The scope the steps effective by `asOf` make; null when none applies or nothing is left excluded. */
export function scopeAt(scope: ScopeHistory, asOf: Instant): ScopeAt | null {
  if (scope.length === 0 || scope[0]!.effectiveAt > asOf) return null;
  // By digits: the code as written, and whether it is excluded (else an exception inside an exclusion).
  const entries = new Map<string, { code: string; excluded: boolean }>();
  const dropInside = (digits: string) => {
    for (const key of entries.keys()) if (key.startsWith(digits)) entries.delete(key);
  };
  let retroactive = false;
  for (const step of scope) {
    if (step.effectiveAt > asOf) break;
    if (step.effectiveAt < step.announcedAt) retroactive = true;
    for (const code of step.exclude) {
      const digits = productDigits(code);
      dropInside(digits);
      entries.set(digits, { code, excluded: true });
    }
    for (const code of step.include) {
      const digits = productDigits(code);
      dropInside(digits);
      if (mostSpecific(entries, digits)?.excluded) entries.set(digits, { code, excluded: false });
    }
  }
  const excluded: string[] = [];
  const included: string[] = [];
  for (const [, entry] of [...entries].sort(([a], [b]) => byString(a, b)))
    (entry.excluded ? excluded : included).push(entry.code);
  if (excluded.length === 0) return null;
  return {
    excluded: frozen(excluded),
    included: included.length > 0 ? frozen(included) : NOTHING,
    retroactive,
  };
}

/** The entry of the longest code that covers `digits`. */
function mostSpecific<E>(entries: ReadonlyMap<string, E>, digits: string): E | undefined {
  for (let length = digits.length; length >= 2; length--) {
    const entry = entries.get(digits.slice(0, length));
    if (entry !== undefined) return entry;
  }
  return undefined;
}

/** Whether a line showing `excluded` and `included` (scopeAt) excludes `product`. */
export function excludes(
  line: { readonly excluded?: readonly string[]; readonly included?: readonly string[] },
  product: string,
): boolean {
  if (!line.excluded) return false;
  const entries = new Map<string, boolean>();
  for (const code of line.excluded) entries.set(productDigits(code), true);
  for (const code of line.included ?? []) entries.set(productDigits(code), false);
  return mostSpecific(entries, productDigits(product)) === true;
}
