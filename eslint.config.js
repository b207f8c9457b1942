import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', '.cache/', '.cli-test-build/', 'docs/api/', 'node_modules/', 'coverage/', 'test/fixtures/', '*.config.js', 'scripts/*.mjs', '.ci/']),
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
    // Only the real client runs processes.
    files: ['src/**'],
    ignores: ['src/vboxmanage/execa-client.ts', 'src/vboxmanage/run-process.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['execa', 'node:child_process', 'child_process'] }],
    },
  },
  {
    // Pure code: no I/O at all.
    files: ['src/domain/**', 'src/validate/**', 'src/vboxmanage/ssh/posix-quote.ts', 'src/vboxmanage/ssh/remote-script.ts', 'src/vboxmanage/ssh/ssh-argv.ts', 'src/vboxmanage/ssh/classify-ssh.ts', 'src/vboxmanage/ssh/ssh-target.ts', 'src/vboxmanage/parse/**', 'src/errors.ts', 'src/errors/**', 'src/host-memory/**', 'src/autopilot/plan-balloons.ts', 'src/autopilot/*-policy.ts', 'src/controller/status.ts', 'src/controller/reclaim-plan.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['execa', 'node:*'] }],
    },
  },
);
