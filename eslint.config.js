import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// The layers of src/, lowest first. A folder may import its own floor's folders and lower floors, never a higher one
// (autopilot and controller share a floor, but the autopilot talks to the controller through an interface it declares).
const FLOORS = [
  ['util'],
  ['errors'],
  ['domain', 'validate'],
  ['port'],
  ['real-client', 'in-memory', 'events'],
  ['host-memory'],
  ['autopilot', 'controller'],
  ['fleet', 'metrics'],
  ['cli', 'connect.ts', 'index.ts'],
];
const floorOf = (name) => FLOORS.findIndex((names) => names.includes(name));
const ALSO_BANNED = { autopilot: ['controller'] };

// Folders with no I/O at all (no node:* module, no execa): everything but the real client's process side, the CLI,
// the metrics server and the two modules at the top.
const NO_IO = ['util', 'errors', 'domain', 'validate', 'port', 'real-client/ssh', 'in-memory', 'events', 'host-memory', 'autopilot', 'controller', 'fleet'];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
// A relative specifier that reaches the top-level folder (or module) `name` from anywhere below src/.
const reaches = (name) => (name.endsWith('.ts') ? `^(\\.\\./)+${escape(name.replace(/\.ts$/u, '.js'))}$` : `^(\\.\\./)+${escape(name)}(/|\\.js$)`);

function restrictions(folder) {
  const top = folder.split('/')[0];
  const floor = floorOf(top);
  const higher = FLOORS.slice(floor + 1).flat().concat(ALSO_BANNED[top] ?? []);
  const patterns = higher.map((name) => ({
    regex: reaches(name),
    message: `src/${top} is on floor ${floor} of the layers (eslint.config.js); it may not import ${name} (floor ${floorOf(name)}): imports run one way.`,
  }));
  if (NO_IO.includes(folder)) patterns.push({ group: ['execa', 'node:*'], message: 'This folder does no I/O: only src/real-client (but its ssh/ rules), src/metrics, src/cli and src/*.ts may.' });
  const processes = folder === 'real-client' ? [] : ['execa', 'node:child_process', 'child_process'].map((name) => ({ name, message: 'Only the real client (src/real-client) runs processes.' }));
  return { 'no-restricted-imports': ['error', { paths: processes, patterns }] };
}

// One block per folder (a later block would replace an earlier one's no-restricted-imports, not add to it).
const layerBlocks = [
  ...FLOORS.flat()
    .filter((name) => !name.endsWith('.ts'))
    .map((folder) => ({ files: [`src/${folder}/**`], ignores: folder === 'real-client' ? ['src/real-client/ssh/**'] : [], rules: restrictions(folder) })),
  { files: ['src/real-client/ssh/**'], rules: restrictions('real-client/ssh') },
  { files: ['src/*.ts'], rules: restrictions('index.ts') },
];

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
  ...layerBlocks,
);
