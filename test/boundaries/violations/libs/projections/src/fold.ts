// Breaks folds-know-no-store-or-app twice.
import { store } from '../../event-store/src/store';
import { app } from '../../../apps/api/src/app';
export const fold = [store, app];
