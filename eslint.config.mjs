// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Frameworks and I/O that the domain and the folds must never import. */
const FRAMEWORK_AND_IO = [
  {
    group: ['@nestjs/*', 'rxjs', 'rxjs/*'],
    message: 'The domain and the folds are plain TypeScript: no framework.',
  },
  {
    group: ['node:*', 'fs', 'path', 'http', 'better-sqlite3', '@eventstore/*'],
    message: 'No I/O in the domain or the folds.',
  },
  {
    group: ['@parley/event-store', '@parley/event-store/*'],
    message: 'Dependencies point one way: the store is wired in apps/api.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'bench/results/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      // Nest handlers implement async interfaces without always awaiting.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['libs/domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...FRAMEWORK_AND_IO,
            {
              group: ['@parley/projections', '@parley/projections/*'],
              message: 'The domain imports nothing of ours.',
            },
          ],
        },
      ],
    },
  },
  {
    // The folds; the Nest module of libs/projections (read model, handlers) lives at the edge.
    files: ['libs/projections/src/**/*.ts'],
    ignores: [
      'libs/projections/src/*.module.ts',
      'libs/projections/src/*.handler.ts',
      'libs/projections/src/read-model.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: FRAMEWORK_AND_IO }] },
  },
  {
    // The EventStoreDB client lives in its adapter only: a move to its successor
    // (@kurrent/kurrentdb-client) then changes one file. The TypeScript rule, so that the
    // core rule's per-folder settings (and tests turning it off) leave this one in force.
    files: ['**/*.ts'],
    ignores: ['libs/event-store/src/eventstoredb-event-store.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@eventstore/db-client', '@eventstore/db-client/*'],
              message:
                'Only libs/event-store/src/eventstoredb-event-store.ts may use the EventStoreDB client; go through the EventStore port.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
