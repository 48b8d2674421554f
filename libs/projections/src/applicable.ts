import { productCovers } from '@parley/domain';
import type { Applicable, TariffLine, TariffPair } from './negotiation-state';
import { excludes } from './slices/tariff-scope';
import { frozen } from './slices/slice';
import { sumOfRates } from './slices/tariffs';

/**
 * What goods of `product` pay between a pair (contract v1.1, `product=`): the lines in force that
 * cover it (all-goods lines that do not exclude it, selected-goods lines whose `products` cover
 * it), less those another covering line displaces. A selected-goods line of unknown scope is
 * named in `uncertain` and not counted. Read from the pair as answered, so every answer that
 * lists pairs (as of a date, as finally decided, across negotiations) says it the same way.
 */
export function applicableTo(pair: TariffPair, product: string): Applicable {
  const covering: TariffLine[] = [];
  const uncertain: string[] = [];
  for (const line of pair.measures) {
    if (excludes(line, product)) continue;
    if (line.coverage === 'all-goods') covering.push(line);
    else if (!line.products) uncertain.push(line.measure);
    else if (line.products.some((code) => productCovers(code, product))) covering.push(line);
  }
  const isDisplaced = (line: TariffLine) =>
    covering.some((other) => other !== line && other.displaces?.includes(line.measure));
  const counted = covering.filter((line) => !isDisplaced(line));
  return frozen({
    product,
    rate: sumOfRates(counted),
    measures: frozen(counted.map((line) => line.measure)),
    displaced: frozen(covering.filter(isDisplaced).map((line) => line.measure)),
    uncertain: frozen(uncertain),
  });
}

/** Each pair with what goods of `product` pay; the pairs as they are when no product is asked. */
export const withApplicable = (
  pairs: readonly TariffPair[],
  product: string | undefined,
): readonly TariffPair[] =>
  product === undefined
    ? pairs
    : pairs.map((pair) => frozen({ ...pair, applicable: applicableTo(pair, product) }));
