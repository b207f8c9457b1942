// What the service reads and writes besides VirtualBox: its state file (damaged, a symbolic link, someone else's:
// logged and replaced, never followed), its log under systemd's journal, the settings file's checks and JSON
// Schema, and the systemd unit it ships (systemd-analyze verify, and the settings VirtualBox needs).
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, closeSync, fstatSync, lstatSync, mkdtempSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, LIMIT_KEYS } from '../../src/cli/config/config-keys.js';
import { stateFileName } from '../../src/cli/service/autopilot-state.js';
import { CLI, cliEnv, runCli } from '../helpers/cli.js';
import { serviceFiles, serviceWorld, startService } from '../helpers/service.js';

const BASE = 'policy: budget\nbudget: 10G\nmax-change: 200M\ninterval: 100ms\n';
const CHANGE = /(web-1|web-2|db-1): balloon \d+ -> \d+ MB/u;

// Start with a planted state file, wait for a change, stop; the log and the state file afterwards.
async function withPlanted(plant: (file: string) => void): Promise<{ lines: string[]; file: string }> {
  const fake = serviceWorld();
  const files = serviceFiles(BASE);
  const file = join(files.stateDir, stateFileName('local'));
  plant(file);
  const svc = startService(['--config', files.config, '--state-dir', files.stateDir], fake);
  await svc.line(CHANGE);
  svc.child.kill('SIGTERM');
  expect(await svc.exited).toBe(0);
  return { lines: svc.lines(), file };
}

const ownState = (file: string): void => {
  const s = lstatSync(file);
  expect(s.isFile()).toBe(true);
  expect(s.mode & 0o777).toBe(0o600);
  expect(s.uid).toBe(process.getuid?.());
  expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, host: 'local' });
};

describe('the service state file', { timeout: 120_000 }, () => {
  it('cut short: logged, the service runs, and the file is replaced whole', async () => {
    const { lines, file } = await withPlanted((f) => {
      writeFileSync(f, '{"version":1,"host":"local","vms":{"00000000-0000-4000-8000-0000', { mode: 0o600 });
    });
    expect(lines.filter((l) => / warning: .*is damaged \(not valid JSON, perhaps cut short\); starting without it, and it will be replaced$/u.test(l))).toHaveLength(1);
    ownState(file);
  });

  it('a symbolic link: never followed, neither read nor written through; replaced by a file of its own', async () => {
    const victim = join(mkdtempSync(join(tmpdir(), 'victim-')), 'victim.json');
    writeFileSync(victim, '{"keep":true}');
    const { lines, file } = await withPlanted((f) => {
      symlinkSync(victim, f);
    });
    expect(lines.some((l) => / warning: .*cannot be read \(it is a symbolic link\)/u.test(l))).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('{"keep":true}');
    ownState(file);
  });

  it("someone else's file (owned by nobody): not trusted, replaced by one of its own", async () => {
    expect(process.getuid?.()).toBe(0); // chown to another user needs root; the tests run as root
    const { lines, file } = await withPlanted((f) => {
      writeFileSync(f, JSON.stringify({ version: 1, host: 'local', vms: {} }), { mode: 0o644 });
      chownSync(f, 65534, 65534);
    });
    expect(lines.some((l) => / warning: .*belongs to user id 65534, not to you \(0\)/u.test(l))).toBe(true);
    ownState(file);
  });
});

describe('the service log', { timeout: 120_000 }, () => {
  it('under systemd (stdout is the journal stream): <6> priorities and no timestamp of its own', async () => {
    const fake = serviceWorld();
    const files = serviceFiles(BASE);
    const out = join(files.dir, 'journal');
    const fd = openSync(out, 'w');
    const s = fstatSync(fd);
    const child = spawn(process.execPath, [CLI, 'autopilot', '--config', files.config, '--state-dir', files.stateDir, '--max-ticks', '2'], {
      env: cliEnv(fake, { JOURNAL_STREAM: `${s.dev}:${s.ino}` }),
      stdio: ['ignore', fd, 'pipe'],
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    closeSync(fd);
    expect(code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^<6>Autopilot started: budget policy/u);
    expect(lines.some((l) => /^<6>(web-1|web-2|db-1): balloon 0 -> 200 MB/u.test(l))).toBe(true);
    expect(lines.every((l) => /^<[3467]>/u.test(l) && !/\d{4}-\d\d-\d\dT/u.test(l.slice(0, 30)))).toBe(true);
    // The same variable with stdout elsewhere (a pipe) is not the journal: timestamps stay.
    const piped = await runCli(['autopilot', '--config', files.config, '--state-dir', files.stateDir, '--max-ticks', '1'], cliEnv(fake, { JOURNAL_STREAM: `${s.dev}:${s.ino}` }));
    expect(piped.stdout.split('\n')[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+ Autopilot started/u);
  });
});

describe('settings file and unit', { timeout: 120_000 }, () => {
  it('config check: exit 0 for a good file; config print: defaults, file and flags; the shipped JSON Schema is the one the CLI makes', async () => {
    const files = serviceFiles(`${BASE}limits:\n  web-1: { max-balloon: 1G }\n`);
    const good = await runCli(['config', 'check', files.config], cliEnv(null));
    expect([good.code, good.stdout.trim()]).toEqual([0, `${files.config}: good (budget policy, every 100ms, limits for 1 VM)`]);
    const printed = await runCli(['config', 'print', files.config, '--interval', '1m', '--json'], cliEnv(null));
    expect(JSON.parse(printed.stdout)).toMatchObject({ version: 1, policy: 'budget', budget: '10G', interval: '1m', deadband: '10M', 'log-format': 'text', limits: { 'web-1': { 'max-balloon': '1024M' } } });
    const schema = await runCli(['config', 'schema'], cliEnv(null));
    expect(JSON.parse(schema.stdout)).toEqual(JSON.parse(readFileSync(new URL('../../schema/vbox-balloon.schema.json', import.meta.url), 'utf8')));
    // docs/service.md's table names every key the file takes.
    const doc = readFileSync(new URL('../../docs/service.md', import.meta.url), 'utf8');
    for (const key of [...CONFIG_KEYS.map((k) => k.key), ...LIMIT_KEYS.map((k) => k.key)]) expect(doc).toContain(`\`${key}\``);
  });

  it('service unit: systemd-analyze verify finds nothing wrong; the settings VirtualBox needs are there, the harmful ones are not', async () => {
    const r = await runCli(['service', 'unit'], cliEnv(null));
    expect(r.code).toBe(0);
    const unit = r.stdout;
    expect(unit).toMatch(/^ExecStart=\/\S+\/node \/\S+\/\.cli-test-build\/main\.js autopilot --config \/etc\/vbox-balloon\/%i\.yaml$/mu);
    for (const line of ['User=%i', 'KillMode=process', 'ExecReload=/bin/kill -HUP $MAINPID', 'Restart=on-failure', 'StateDirectory=vbox-balloon/%i', 'Type=exec', 'RestartPreventExitStatus=2', 'WantedBy=multi-user.target']) {
      expect(unit.split('\n')).toContain(line);
    }
    expect(unit).toMatch(/^StartLimitBurst=\d+$/mu);
    for (const bad of [/^ProtectSystem=strict/mu, /^PrivateTmp=(yes|true|1)/mu, /^NoNewPrivileges=(yes|true|1)/mu, /^ProtectHome=/mu, /^(SystemCallFilter|RestrictAddressFamilies|PrivateDevices|ProtectKernelModules|MemoryDenyWriteExecute|LockPersonality|RestrictSUIDSGID)=/mu]) {
      expect(unit).not.toMatch(bad);
    }
    // systemd-analyze verify on an instance of the template: its ExecStart (this test's build of the CLI) exists.
    const dir = mkdtempSync(join(tmpdir(), 'unit-'));
    const verify = (name: string, text: string): { status: number | null; said: string } => {
      writeFileSync(join(dir, name.replace(/@.*/u, '@.service')), text);
      const v = spawnSync('systemd-analyze', ['verify', join(dir, name)], { encoding: 'utf8' });
      return { status: v.status, said: `${v.stdout}${v.stderr}` };
    };
    expect(verify('vbox-balloon@vbox.service', unit)).toEqual({ status: 0, said: '' });
    // The same check catches a mistake: an unknown setting is reported.
    expect(verify('bad@vbox.service', `${unit}KilMode=process\n`).said).toMatch(/Unknown key 'KilMode'/u);
  });
});
