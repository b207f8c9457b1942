import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library: dual ESM/CJS. Its clean step leaves the CLI's files alone (both build at once). The declarations
    // come from `tsc -p tsconfig.build.json` and scripts/dts-cjs.mjs (`npm run build`): tsup's own declaration step
    // (a rollup through the TypeScript API) took 60 of the build's 65 seconds.
    entry: ['src/index.ts', 'src/metrics/index.ts'],
    format: ['esm', 'cjs'],
    dts: false,
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
