// @ts-check
/**
 * The boundaries of DESIGN.md, checked on resolved imports (not on the text of import paths):
 * `npm run lint` runs it on the tree, and test/boundaries proves each rule fails on a fixture
 * that breaks it.
 *
 *   apps/api → libs/projections → libs/domain;  apps/api → libs/event-store
 *   libs/domain imports nothing of ours, no framework, no I/O
 *   libs/projections: no Nest, no I/O, nothing of the store or the app
 *   libs/event-store speaks envelopes: nothing of the domain, the folds or the app
 */

/** Resolved paths of these packages (the check follows imports to the file they resolve to). */
const packages = (names) => `(^|/)node_modules/(${names.join('|')})/`;
/** Frameworks: the domain and the folds are plain TypeScript. */
const FRAMEWORKS = packages([
  '@nestjs/[^/]+',
  'rxjs',
  'class-validator',
  'class-transformer',
  'reflect-metadata',
]);
/** I/O: databases and store clients, HTTP. (Node's own modules are the `core` type.) */
const IO = packages(['better-sqlite3', 'pg', '@eventstore/[^/]+', 'fastify', '@fastify/[^/]+']);

/** Where test code lives: specs, the libraries' testing/ folders, test/ and bench/. */
const TEST_CODE = '(\\.spec\\.ts$|/testing/|^test/|^bench/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-nothing-of-ours',
      comment: 'libs/domain imports nothing of ours: not the folds, the store or the app.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: '^(libs/(projections|event-store)|apps)/' },
    },
    {
      name: 'domain-and-folds-without-framework',
      comment: 'libs/domain and libs/projections are plain TypeScript: no framework.',
      severity: 'error',
      from: { path: '^libs/(domain|projections)/' },
      to: { path: FRAMEWORKS },
    },
    {
      name: 'domain-and-folds-without-io',
      comment: 'No I/O in libs/domain or libs/projections: no Node built-in, store or HTTP module.',
      severity: 'error',
      from: { path: '^libs/(domain|projections)/', pathNot: TEST_CODE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'domain-and-folds-without-io-libraries',
      comment: 'No I/O in libs/domain or libs/projections: no store client or HTTP library.',
      severity: 'error',
      from: { path: '^libs/(domain|projections)/' },
      to: { path: IO },
    },
    {
      name: 'folds-know-no-store-or-app',
      comment: 'Dependencies point one way: the store and the Nest wiring live in apps/api.',
      severity: 'error',
      from: { path: '^libs/projections/' },
      to: { path: '^(libs/event-store|apps)/' },
    },
    {
      name: 'store-speaks-envelopes',
      comment: 'libs/event-store speaks envelopes: nothing of the domain, the folds or the app.',
      severity: 'error',
      from: { path: '^libs/event-store/' },
      to: { path: '^(libs/(domain|projections)|apps)/' },
    },
    {
      name: 'no-test-code-in-source',
      comment: 'Source files import no test code (specs, testing/ folders, test/, bench/).',
      severity: 'error',
      from: { path: '^(libs|apps)/', pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'no-dev-dependency-in-source',
      comment:
        'Source files import no dev dependency (fast-check, jest, …): they are not installed in production.',
      severity: 'error',
      from: { path: '^(libs|apps)/', pathNot: TEST_CODE },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The fixture that breaks every rule on purpose is checked on its own (test/boundaries).
    exclude: { path: '(^|/)(dist|coverage)/|^test/boundaries/violations/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
