// Breaks store-speaks-envelopes.
import { decided } from '../../domain/src/decided';
export const store = decided;
