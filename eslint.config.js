// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'data/',
      'dist/',
      '.dist-*/',
      'scratch/',
      'src/web/assets/',
      'eslint.config.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // The domain layer is pure: no storage, no web, no Node I/O.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/db/**', '**/web/**', '**/services/**', '**/cli/**'], message: 'domain/ is pure' },
            {
              group: ['node:fs*', 'node:net', 'node:http*', 'fs', 'pg', 'better-sqlite3', 'kysely'],
              message: 'domain/ does no I/O',
            },
          ],
        },
      ],
    },
  },
  {
    // Plain JavaScript shipped to others (the evidence bundle's verify.mjs): linted, but outside the TS project.
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Node scripts (build, command-line launcher).
    files: ['scripts/**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', URL: 'readonly', SharedArrayBuffer: 'readonly', Atomics: 'readonly' },
    },
  },
);
