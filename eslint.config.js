import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'docs/api/', 'node_modules/', 'coverage/', 'test/fixtures/', '*.config.js', 'scripts/*.mjs', '.ci/']),
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A dropped ResultAsync is a lost error: neverthrow results are thenables.
      '@typescript-eslint/no-floating-promises': ['error', { checkThenables: true }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    files: ['src/domain/**', 'src/vboxmanage/parse/**', 'src/errors.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['execa', 'node:*'] }],
    },
  },
);
