// Breaks no-test-code-in-source.
import { builder } from './testing/builder';
export const built = builder;
