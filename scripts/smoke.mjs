// Loads the built package both ways and checks that ESM and CJS expose the same names,
// and that no execa type leaks into the published declarations.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cjs = require('../dist/index.cjs');
const esm = await import('../dist/index.js');

const cjsNames = Object.keys(cjs).filter((k) => k !== '__esModule').sort();
const esmNames = Object.keys(esm).filter((k) => k !== 'default').sort();
const problems = [];
if (JSON.stringify(cjsNames) !== JSON.stringify(esmNames)) {
  problems.push(`ESM and CJS differ:\n  cjs: ${cjsNames.join(', ')}\n  esm: ${esmNames.join(', ')}`);
}
if (esmNames.length === 0) problems.push('the build exports nothing');
for (const f of readdirSync(new URL('../dist/', import.meta.url))) {
  if (!/\.d\.c?ts$/.test(f)) continue;
  const text = readFileSync(new URL(`../dist/${f}`, import.meta.url), 'utf8');
  if (/from ['"]execa['"]|import\(['"]execa['"]\)/.test(text)) problems.push(`${f} mentions execa`);
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`smoke: ${esmNames.length} names identical in ESM and CJS; no execa types in declarations`);
