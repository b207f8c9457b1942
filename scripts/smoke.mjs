// Loads the built package both ways and checks that ESM and CJS expose the same names,
// and that no execa type leaks into the published declarations. The same for the `vbox-balloon/metrics` entry, and
// the main entry must not reach prom-client (an optional peer dependency) at all.
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
for (const f of readdirSync(new URL('../dist/', import.meta.url), { recursive: true })) {
  if (!/\.d\.c?ts$/.test(f)) continue;
  const text = readFileSync(new URL(`../dist/${f}`, import.meta.url), 'utf8');
  if (/from ['"]execa['"]|import\(['"]execa['"]\)/.test(text)) problems.push(`${f} mentions execa`);
}
// vbox-balloon/metrics: the same names both ways.
const metricsCjs = require('../dist/metrics/index.cjs');
const metricsEsm = await import('../dist/metrics/index.js');
const mCjs = Object.keys(metricsCjs).filter((k) => k !== '__esModule').sort();
const mEsm = Object.keys(metricsEsm).filter((k) => k !== 'default').sort();
if (JSON.stringify(mCjs) !== JSON.stringify(mEsm)) problems.push(`metrics: ESM and CJS differ:\n  cjs: ${mCjs.join(', ')}\n  esm: ${mEsm.join(', ')}`);
if (!mEsm.includes('balloonMetrics') || !mEsm.includes('serveMetrics')) problems.push('metrics: balloonMetrics or serveMetrics is missing');
// The main entry never loads prom-client, nor yaml (the CLI's settings file): follow its relative imports (ESM) and its
// require()s (CJS).
const reached = new Set();
const follow = (url) => {
  if (reached.has(url.href)) return;
  reached.add(url.href);
  const text = readFileSync(url, 'utf8');
  for (const pkg of ['prom-client', 'yaml']) {
    if (new RegExp(`from\\s*['"]${pkg}['"]|import\\(\\s*['"]${pkg}['"]|require\\(\\s*['"]${pkg}['"]`).test(text)) problems.push(`${url.pathname} imports ${pkg}`);
  }
  const dts = /\.d\.c?ts$/.test(url.pathname);
  for (const m of text.matchAll(/(?:from\s*|import\(\s*|require\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    follow(new URL(dts ? m[1].replace(/\.(c?)js$/, '.d.$1ts') : m[1], url));
  }
};
for (const f of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']) follow(new URL(`../dist/${f}`, import.meta.url));

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(
  `smoke: ${esmNames.length} names identical in ESM and CJS; metrics entry: ${mEsm.length} names; no execa types in declarations; ` +
    `the main entry (${reached.size} files) never imports prom-client or yaml`,
);
