// What a user gets from the registry: pack a fresh copy of the repository (the files git tracks, as they are in the
// work tree: no build left behind by an earlier step), install the tarball into throwaway ESM TypeScript and plain
// CommonJS projects, and run them.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const work = mkdtempSync(join(tmpdir(), 'vbb-pack-'));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
const fail = (message) => {
  console.error(`pack-test: ${message}`);
  process.exit(1);
};

try {
  // 1. A fresh copy: tracked and new (not ignored) files only, so dist/ and node_modules/ are not in it.
  const clone = join(work, 'clone');
  const tracked = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root).split('\0').filter((f) => f !== '');
  for (const f of tracked) {
    try {
      mkdirSync(dirname(join(clone, f)), { recursive: true });
      cpSync(join(root, f), join(clone, f));
    } catch {
      // deleted in the work tree but still tracked: not part of the package
    }
  }
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir'); // build tools only; never packed

  // 2. npm pack builds first (prepack) and packs.
  // The prepack build prints to stdout too; the JSON report is the array at the end.
  const report = run('npm', ['pack', '--json', '--pack-destination', work], clone);
  const packed = JSON.parse(report.slice(report.search(/^\[/mu)));
  const files = packed[0].files.map((f) => f.path);
  for (const must of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'docs/getting-started.md', 'docs/errors.md', 'docs/grafana-dashboard.json', 'docs/prometheus-alerts.yml', 'README.md', 'CHANGELOG.md', 'schema/vbox-balloon.schema.json', 'systemd/vbox-balloon@.service']) {
    if (!files.includes(must)) fail(`the tarball lacks ${must} (it has: ${files.join(', ')})`);
  }
  if (files.some((f) => f.startsWith('docs/api/') || f.startsWith('src/') || f.startsWith('test/'))) fail('the tarball ships sources, tests or the generated API docs');
  if (files.some((f) => f.endsWith('.map'))) fail('the tarball ships source maps');
  const tarball = join(work, packed[0].filename);

  // 3. Consumers, installed from the tarball (dependencies come from the npm cache that npm ci filled).
  const program = `
    const client = new InMemoryVBoxManageClient({ vms: [{ name: 'web-1', state: 'running', memoryMb: 4096 }] });
    const vbox = new BalloonController({ client });
    const change = await vbox.setBalloon('web-1', 512);
    const bad = await vbox.setBalloon('web-1', 99999);
    console.log(JSON.stringify({ toMb: change.isOk() ? change.value.toMb : null, code: bad.isErr() ? bad.error.code : null }));`;
  const esm = join(work, 'esm');
  mkdirSync(esm);
  writeFileSync(join(esm, 'package.json'), JSON.stringify({ name: 'esm-consumer', private: true, type: 'module' }));
  writeFileSync(join(esm, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, outDir: 'out', skipLibCheck: false, types: [] }, include: ['main.ts'] }));
  writeFileSync(join(esm, 'main.ts'), `import { BalloonController, InMemoryVBoxManageClient, type BalloonError } from 'vbox-balloon';\nconst describe = (e: BalloonError): string => e.code;\nvoid describe;\n${program}\n`);
  const cjs = join(work, 'cjs');
  mkdirSync(cjs);
  writeFileSync(join(cjs, 'package.json'), JSON.stringify({ name: 'cjs-consumer', private: true }));
  writeFileSync(join(cjs, 'main.js'), `const { BalloonController, InMemoryVBoxManageClient } = require('vbox-balloon');\n(async () => {${program}\n})();\n`);
  for (const dir of [esm, cjs]) run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', tarball], dir);
  // The ESM consumer compiles with the published declarations (node_modules/vbox-balloon/dist/*.d.ts) alone.
  run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(esm, 'tsconfig.json')], esm);
  const expected = JSON.stringify({ toMb: 512, code: 'INVALID_BALLOON_SIZE' });
  for (const [name, dir, entry] of [['ESM TypeScript', esm, 'out/main.js'], ['CommonJS', cjs, 'main.js']]) {
    const out = run(process.execPath, [entry], dir).trim();
    if (out !== expected) fail(`the ${name} consumer printed ${out}, not ${expected}`);
  }
  // The executable loads the library from the package itself (no copy of its own): it runs from the installed tarball.
  const cli = join(esm, 'node_modules', 'vbox-balloon', 'dist', 'cli.js');
  const host = execFileSync(process.execPath, [cli, 'host', '--simulate'], { cwd: esm, encoding: 'utf8', env: { ...process.env, VBOX_BALLOON_STATE_DIR: join(work, 'state') } });
  if (!host.includes('simulated host')) fail(`the installed vbox-balloon host --simulate printed ${host}`);
  const installed = readdirSync(join(esm, 'node_modules', 'vbox-balloon'));
  console.log(`pack-test: ${files.length} files packed (${installed.join(', ')}); ESM TypeScript and CommonJS consumers installed the tarball and ran`);
} catch (e) {
  fail(`${e.message}\n${e.stderr ?? ''}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
