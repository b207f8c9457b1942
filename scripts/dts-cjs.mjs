// After `tsc -p tsconfig.build.json` has written the declarations (dist/**/*.d.ts, ES modules, as the package is
// "type": "module"), write a CommonJS twin of each (*.d.cts) whose relative imports name the .cjs twins, so that a
// `require` consumer's TypeScript sees CommonJS declarations all the way down (publint --strict and attw check it).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
let n = 0;
for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
  if (!file.endsWith('.d.ts')) continue;
  const text = readFileSync(join(dist, file), 'utf8');
  // `from './x.js'`, `import('./x.js')` and `export * from '../y/index.js'`: relative specifiers only.
  const cjs = text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]*?)\.js\2/gu, '$1$2$3.cjs$2');
  writeFileSync(join(dist, file.replace(/\.d\.ts$/u, '.d.cts')), cjs);
  n++;
}
console.log(`dts-cjs: ${n} declaration files given a CommonJS twin`);
