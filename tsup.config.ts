import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library: dual ESM/CJS with declarations. Its clean step leaves the CLI's files alone (both build at once).
    entry: ['src/index.ts', 'src/metrics/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: ['!cli.js', '!cli.js.map'],
    target: 'node20',
  },
  {
    // The vbox-balloon executable: ESM only, no declarations; the shebang in src/cli/main.ts is kept and the file made executable.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'node20',
  },
]);
