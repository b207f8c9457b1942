// The CLI across several hosts: two real sshd's on 127.0.0.1, each with its own stand-in VirtualBox, and a closed
// port for a host that is down. The CLI runs in-process through its runner; the autopilot with --metrics and Ctrl-C runs
// as the built executable.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { leftoverProcesses, type FakeWorld } from '../helpers/stand-in.js';
import { freePort, type TestSshd } from '../helpers/sshd.js';
import { noSshLeft } from '../helpers/leftovers.js';
import { useTwoHosts } from '../helpers/two-hosts.js';
import { cliEnv, runCliInProcess, spawnCli, type CliResult } from '../helpers/cli.js';

const twoHosts = useTwoHosts('vbb-fleet-');
let a: TestSshd;
let b: TestSshd;
let dir: string;
let sshConfig: string;
let remoteVBoxManage: string;
let down: number;
let target: (s: TestSshd | number) => string;
// Each test gets new worlds: lab-1 behind sshd a, lab-2 behind sshd b.
let worlds: { a: FakeWorld; b: FakeWorld };

const newWorlds = (): void => {
  worlds = twoHosts().newWorlds({ vms: [{ name: 'web-1', state: 'running', memoryMb: 4096, usedMb: 1024 }, { name: 'db-1', state: 'poweroff' }] }, { vms: [{ name: 'web-1', state: 'running', memoryMb: 2048, usedMb: 512 }] });
};

beforeAll(() => {
  ({ a, b, dir, sshConfig, remoteVBoxManage, down, target } = twoHosts());
});

const nameOf = (s: TestSshd | number): string => `127.0.0.1:${typeof s === 'number' ? s : s.port}`;
const hosts = (...list: (TestSshd | number)[]): string[] => list.flatMap((s) => ['--host', target(s)]);
// The child's ssh processes carry this worker's id, so that the leftover check sees them.
const env = (): Record<string, string> => cliEnv(null, { VITEST_POOL_ID: process.env['VITEST_POOL_ID'] ?? '' });
const cli = (args: string[]): Promise<CliResult> => runCliInProcess([...args, '--ssh-config', sshConfig, '--vboxmanage', remoteVBoxManage], env());
const hostsFile = (text: string): string => {
  const f = join(dir, `hosts-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(f, text);
  return f;
};
const vboxCalls = (): number => worlds.a.log().length + worlds.b.log().length;

describe('status across hosts', () => {
  it('lists every VM of every host with a HOST column; the same VM name on two hosts is told apart', async () => {
    newWorlds();
    const r = await cli(['status', ...hosts(a, b)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^HOST +NAME +STATE +RAM +REQUESTED +ACHIEVED +GUEST FREE +MAX +BACKING +LIVE CHANGE$/u);
    expect(lines.slice(1).map((l) => l.split(/ +/u).slice(0, 4))).toEqual([
      [nameOf(a), 'web-1', 'running', '4096'],
      [nameOf(a), 'db-1', 'poweroff', '2048'],
      [nameOf(b), 'web-1', 'running', '2048'],
    ]);
  }, 60_000);

  it('--json is the fleet inspection: every host with ok, and every VM with its host', async () => {
    newWorlds();
    const r = await cli(['status', '--json', ...hosts(a, b)]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { hosts: { host: string; ok: boolean; vms: unknown[] }[]; vms: { host: string; name: string; memoryMb: number }[] };
    expect(out.hosts.map((h) => [h.host, h.ok, h.vms.length])).toEqual([
      [nameOf(a), true, 2],
      [nameOf(b), true, 1],
    ]);
    expect(out.vms.map((v) => [v.host, v.name, v.memoryMb])).toEqual([
      [nameOf(a), 'web-1', 4096],
      [nameOf(a), 'db-1', 2048],
      [nameOf(b), 'web-1', 2048],
    ]);
  }, 60_000);

  it('a host that is down is reported for that host, the others print, and the exit code is 8 (done in part)', async () => {
    newWorlds();
    const r = await cli(['status', ...hosts(a, down)]);
    expect(r.code).toBe(8);
    expect(r.stdout).toMatch(new RegExp(`^${nameOf(a).replace(/\./gu, '\\.')} +web-1 +running`, 'mu'));
    expect(r.stdout).not.toContain(nameOf(down));
    expect(r.stderr).toMatch(new RegExp(`^error: 127\\.0\\.0\\.1:${down}: Could not run VBoxManage.* over ssh \\(refused\\)`, 'mu'));
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  }, 60_000);

  it('the same in --json: the host that is down carries its error, and the exit code is 8', async () => {
    newWorlds();
    const r = await cli(['status', '--json', ...hosts(down, b)]);
    expect(r.code).toBe(8);
    const out = JSON.parse(r.stdout) as { hosts: { host: string; ok: boolean; error?: { code: string; kind: string } }[]; vms: { host: string }[] };
    expect(out.hosts).toMatchObject([
      { host: nameOf(down), ok: false, error: { code: 'SSH_FAILED', kind: 'refused' } },
      { host: nameOf(b), ok: true },
    ]);
    expect(out.vms.map((v) => v.host)).toEqual([nameOf(b)]);
    expect(r.stderr).toMatch(/^error: 127\.0\.0\.1:\d+: .*refused/mu);
  }, 60_000);

  it('when every host is down the exit code is the failure\'s own (9, ssh)', async () => {
    newWorlds();
    const other = await freePort();
    const r = await cli(['status', ...hosts(down, other)]);
    expect(r.code).toBe(9);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(2);
    expect(r.stdout).toBe('');
  }, 60_000);

  it('VM names pick those VMs on every host that has them; a name no host has is exit 7', async () => {
    newWorlds();
    const found = await cli(['status', 'db-1', ...hosts(a, b)]);
    expect(found.code).toBe(0);
    expect(found.stdout).toMatch(new RegExp(`^${nameOf(a).replace(/\./gu, '\\.')} +db-1 +poweroff`, 'mu'));
    // The reason below the table, host first.
    expect(found.stdout).toMatch(new RegExp(`^127\\.0\\.0\\.1:${a.port}: db-1: VM 'db-1' is powered off, but a live balloon change needs it running`, 'mu'));
    expect(found.stdout).not.toMatch(/web-1/u);
    const missing = await cli(['status', 'nope-1', '--json', ...hosts(a, b)]);
    expect(missing.code).toBe(7);
    expect(JSON.parse(missing.stdout)).toMatchObject({ vms: [] });
    expect(missing.stderr).toMatch(/^error: no VM named "nope-1" on any host$/mu);
  }, 60_000);
});

describe('a hosts file', () => {
  it('is in every command\'s --help, with --host repeatable', async () => {
    const r = await runCliInProcess(['status', '--help'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {6}--hosts FILE {3}The hosts in FILE, one a line: "\[NAME\] ssh:\/\/USER@HOST\[:PORT\]", # comments\.$/mu);
    expect(r.stdout).toMatch(/Repeat it for several hosts/u);
  });

  it('names the hosts: comments and blank lines are skipped, and a --host also in the file is one host, under its file name', async () => {
    newWorlds();
    const f = hostsFile(`# the lab\n\nlab-1 ${target(a)}   # rack 3\n\tlab-2 ${target(b)}\n`);
    const r = await cli(['status', '--hosts', f, ...hosts(b)]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(/ +/u).slice(0, 2))).toEqual([
      ['lab-2', 'web-1'],
      ['lab-1', 'web-1'],
      ['lab-1', 'db-1'],
    ]);
  }, 60_000);

  it.each<[string, (f: (t: string) => string) => string[], RegExp]>([
    ['a bad line: FILE:LINE and a good example', (f) => ['--hosts', f('lab-1 ssh://x@127.0.0.1:1\n# ok\n[vbox]\n')], /^error: .*hosts-\w+\.txt:3: "\[vbox\]" is not an ssh:\/\/ target; write NAME ssh:\/\/USER@HOST\[:PORT\] or only ssh:\/\/USER@HOST\[:PORT\], e\.g\. "lab-1 ssh:\/\/vbox@lab-1\.example\.net:22"$/mu],
    ['a missing file', () => ['--hosts', '/nonexistent/hosts.txt'], /^error: --hosts "\/nonexistent\/hosts\.txt" cannot be read \(ENOENT\)$/mu],
    ['a name twice', (f) => ['--hosts', f('lab-1 ssh://x@127.0.0.1:1\nlab-1 ssh://x@127.0.0.1:2\n')], /hosts-\w+\.txt:2: the name "lab-1" is already on line 1/u],
    ['one name for two hosts across --host and --hosts', (f) => ['--hosts', f('ssh://y@127.0.0.1:1\n'), '--host', 'ssh://x@127.0.0.1:1'], /two hosts are called "127\.0\.0\.1:1"/u],
    ['--hosts with --simulate', (f) => ['--hosts', f('lab-1 ssh://x@127.0.0.1:1\n'), '--simulate'], /--hosts and --simulate do not go together/u],
  ])('is refused for %s: exit 2, the usage, and no VBoxManage call', async (_, args, message) => {
    newWorlds();
    const r = await runCliInProcess(['status', ...args(hostsFile)], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^usage: vbox-balloon status/mu);
    expect(r.stdout).toBe('');
    expect(vboxCalls()).toBe(0);
  });
});

describe('commands that change VMs take one host', () => {
  it.each([
    [['set', 'web-1', '512']],
    [['default', 'db-1', '512']],
    [['prepare', 'db-1']],
    [['reclaim', '512']],
    [['restore']],
  ])('%j with two hosts is exit 2 and runs nothing', async (args) => {
    newWorlds();
    const r = await cli([...args, ...hosts(a, b)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: ${args[0] ?? ''} changes VMs on one host at a time: pass a single --host, not --hosts or several --host \\(this command line names 127\\.0\\.0\\.1:\\d+, 127\\.0\\.0\\.1:\\d+\\)`, 'mu'));
    expect(vboxCalls()).toBe(0);
  });

  it('a hosts file of one host is refused as well (a hosts file is a fleet, whatever its length)', async () => {
    newWorlds();
    const r = await cli(['set', 'web-1', '512', '--hosts', hostsFile(`lab-1 ${target(a)}\n`)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/names lab-1\)/u);
    expect(vboxCalls()).toBe(0);
  });
});

describe('host and plan across hosts', () => {
  it('host: one row per host, exit 0 when every host can balloon', async () => {
    newWorlds();
    const r = await cli(['host', ...hosts(a, b)]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 3).map((l) => l.split(/ {2,}/u)[0])).toEqual(['HOST', nameOf(a), nameOf(b)]);
    expect(r.stdout).toMatch(/Linux 6\.1\.0 +65536 MB .*7\.0\.10r158379 +supported/u);
    // Below the table, each host's memory as the host-memory model counts it.
    expect(lines.slice(3).map((l) => l.split(': ')[0])).toEqual([nameOf(a), nameOf(b)]);
    expect(lines[3]).toMatch(/: backing \d+ MB of a 52428 MB budget, headroom \d+ MB/u);
    const json = await cli(['host', '--json', ...hosts(a, down)]);
    expect(json.code).toBe(8);
    expect(JSON.parse(json.stdout)).toMatchObject([
      { host: nameOf(a), ok: true, supported: true, vboxManageVersion: { raw: '7.0.10r158379' }, memory: { budgetMb: 52_428 } },
      { host: nameOf(down), ok: false, error: { code: 'SSH_FAILED' } },
    ]);
  }, 60_000);

  it('plan: one dry-run tick per host, each against its own host, tagged by host; nothing changes', async () => {
    newWorlds();
    const r = await cli(['plan', '--policy', 'budget', '--budget', '3G', '--json', ...hosts(a, b)]);
    expect(r.code).toBe(0);
    const events = JSON.parse(r.stdout) as { host: string; plan: { entries: { vm: string }[] } }[];
    expect(events.map((e) => [e.host, e.plan.entries.map((x) => x.vm)])).toEqual([
      [nameOf(a), ['web-1']],
      [nameOf(b), ['web-1']],
    ]);
    const text = await cli(['plan', '--policy', 'budget', ...hosts(a, b)]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^${nameOf(b).replace(/\./gu, '\\.')}: Policy budget: `, 'mu'));
    expect([...worlds.a.log(), ...worlds.b.log()].filter((e) => e.argv[0] === 'controlvm')).toEqual([]);
  }, 60_000);
});

describe('autopilot across hosts', () => {
  it('runs one autopilot per host: --json ticks carry their host', async () => {
    newWorlds();
    const r = await cli(['autopilot', '--policy', 'budget', '--interval', '200ms', '--max-ticks', '2', '--json', ...hosts(a, b)]);
    expect(r.code).toBe(0);
    const ticks = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { host: string; tick: number; plan: unknown });
    expect(ticks.map((t) => `${t.host}#${t.tick}`).sort()).toEqual([`${nameOf(a)}#1`, `${nameOf(a)}#2`, `${nameOf(b)}#1`, `${nameOf(b)}#2`].sort());
    expect(ticks.every((t) => t.plan !== null)).toBe(true);
    expect(r.stderr).toMatch(/^Autopilot running \(budget policy on 2 hosts\)/mu);
    expect(r.stderr).toMatch(new RegExp(`^Autopilot stopped: 127\\.0\\.0\\.1:${a.port} after 2 ticks, 127\\.0\\.0\\.1:${b.port} after 2 ticks\\.$`, 'mu'));
  }, 60_000);

  it('refuses to start when a host is down, and says which', async () => {
    newWorlds();
    const r = await cli(['autopilot', '--policy', 'budget', '--max-ticks', '1', ...hosts(a, down)]);
    expect(r.code).toBe(9);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^error: 127\\.0\\.0\\.1:${down}: .*refused`, 'mu'));
    expect(r.stderr).toMatch(/^Nothing started/mu);
    expect(worlds.a.log().map((e) => e.argv[0])).toEqual(['list']); // lab-1's host check, and nothing after it
  }, 60_000);

  it('tick lines are tagged by host; --metrics serves both hosts; Ctrl-C stops every loop, exit 0, nothing left', async () => {
    newWorlds();
    const f = hostsFile(`lab-1 ${target(a)}\nlab-2 ${target(b)}\n`);
    const child = spawnCli(['autopilot', '--policy', 'budget', '--interval', '300ms', '--metrics', '127.0.0.1:0', '--hosts', f, '--ssh-config', sshConfig, '--vboxmanage', remoteVBoxManage], env());
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /Metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/u.exec(stderr);
        if (m?.[1] !== undefined) resolve(m[1]);
      });
      void closed.then(() => { reject(new Error(`exited before serving metrics: ${stderr}`)); });
    });
    const ticked = (host: string, text: string): boolean => new RegExp(`^vbox_balloon_ticks_total\\{[^}]*host="${host}"[^}]*\\} [1-9]`, 'mu').test(text);
    let text = '';
    for (let i = 0; i < 100 && !(ticked('lab-1', text) && ticked('lab-2', text)); i++) {
      await new Promise((r) => setTimeout(r, 100));
      text = await (await fetch(`${url}/metrics`)).text();
    }
    expect(ticked('lab-1', text) && ticked('lab-2', text)).toBe(true);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    child.kill('SIGINT');
    expect(await closed).toBe(0);
    expect(stdout).toMatch(/^\S+Z lab-1 tick 1: no change, backing /mu);
    expect(stdout).toMatch(/^\S+Z lab-2 tick 1: no change, backing /mu);
    expect(stderr).toMatch(/^Stopping after the current tick/mu);
    expect(stderr).toMatch(/^Autopilot stopped: lab-1 after \d+ ticks?, lab-2 after \d+ ticks?\.$/mu);
    await expect(fetch(`${url}/metrics`)).rejects.toThrow();
    expect(await noSshLeft()).toEqual([]);
    expect([...leftoverProcesses(worlds.a.statePath), ...leftoverProcesses(worlds.b.statePath)]).toEqual([]);
  }, 60_000);
});
