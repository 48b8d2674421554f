// Breaks no-dev-dependency-in-source: fast-check is a dev dependency.
import fc from 'fast-check';
export const arbitrary = fc.nat();
