// Breaks domain-imports-nothing-of-ours: a resolved path into the folds, not a text pattern.
import { fold } from '../../projections/src/fold';
export const again = fold;
