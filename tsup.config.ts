import { resolve } from 'node:path';
import { defineConfig } from 'tsup';

// The CLI imports the library through its public entries, and the built CLI loads them from the package itself
// ('vbox-balloon', 'vbox-balloon/metrics': a self-reference through package.json's exports) instead of bundling a
// third copy of the library.
const PUBLIC_ENTRIES: Readonly<Record<string, string>> = {
  [resolve('src/index.ts')]: 'vbox-balloon',
  [resolve('src/metrics/index.ts')]: 'vbox-balloon/metrics',
};
const selfReference = {
  name: 'self-reference',
  setup(build: { onResolve: (o: { filter: RegExp }, f: (a: { path: string; resolveDir: string }) => { path: string; external: boolean } | undefined) => void }) {
    build.onResolve({ filter: /(?:^|\/)index\.js$/ }, (args) => {
      const entry = PUBLIC_ENTRIES[resolve(args.resolveDir, args.path).replace(/\.js$/u, '.ts')];
      return entry === undefined ? undefined : { path: entry, external: true };
    });
  },
};

export default defineConfig([
  {
    // The library: dual ESM/CJS. Its clean step leaves the CLI's files alone (both build at once). The declarations
    // come from `tsc -p tsconfig.build.json` and scripts/dts-cjs.mjs (`npm run build`): tsup's own declaration step
    // (a rollup through the TypeScript API) took 60 of the build's 65 seconds.
    entry: ['src/index.ts', 'src/metrics/index.ts'],
    format: ['esm', 'cjs'],
    dts: false,
    // No source maps in the package: with the sources embedded they were 1.8 MB of its 3.0 MB, and without them
    // they point into src/, which is not shipped.
    sourcemap: false,
    clean: ['!cli.js'],
    target: 'node20',
  },
  {
    // The vbox-balloon executable: ESM only, no declarations; the shebang in src/cli/main.ts is kept and the file made executable.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: false,
    clean: false,
    esbuildPlugins: [selfReference],
    target: 'node20',
  },
]);
