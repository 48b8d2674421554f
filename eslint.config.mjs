// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// The boundaries between apps/api and the libraries (no framework or I/O in the domain and the
// folds, dependencies pointing one way) are checked on resolved imports by dependency-cruiser:
// .dependency-cruiser.cjs, run by `npm run lint`.

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'bench/results/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      // Breaks every boundary rule on purpose: test/boundaries checks the check fails on it.
      'test/boundaries/violations/**',
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
