import { agreements } from './agreements';
import { demands } from './demands';
import { parties, title } from './parties';
import { proposals } from './proposals';
import { stances } from './stances';
import { talks } from './talks';
import { tariffs } from './tariffs';
import { tradeMeasures } from './trade-measures';

/**
 * The state of play, slice by slice, each named by the part of the answer it shows. A
 * development type feeds the slices that list it in `reads`.
 */
export const SLICES = {
  title,
  parties,
  tariffs,
  tradeMeasures,
  talks,
  proposals,
  stances,
  demands,
  agreements,
};

export type { Slice, Recorded } from './slice';
export { proposalOrder } from './proposals';
export { demandOrder } from './demands';
