// `start` and `give-back` across hosts: two real sshd's on 127.0.0.1, each with its own stand-in VirtualBox, and a
// closed port for a host that is down. The CLI runs in-process through its runner; two CI jobs at once run as two
// processes of the built executable.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InMemoryVmSpec } from '../../src/index.js';
import type { FakeWorld } from '../helpers/stand-in.js';
import type { TestSshd } from '../helpers/sshd.js';
import { useTwoHosts } from '../helpers/two-hosts.js';
import { cliEnv, runCli, runCliInProcess, type CliResult } from '../helpers/cli.js';

const twoHosts = useTwoHosts('vbb-place-');
let a: TestSshd;
let b: TestSshd;
let dir: string;
let sshConfig: string;
let remoteVBoxManage: string;
let down: number;
let target: (s: TestSshd | number) => string;
let worlds: { a: FakeWorld; b: FakeWorld };

const host = { memoryMb: 16_384, baseUsedMb: 2048 }; // budget 80 % = 13 107 MB
const busy = (usedMb: number): InMemoryVmSpec[] => [0, 1, 2].map((i) => ({ name: `g${i}`, state: 'running', memoryMb: 4096, usedMb }));
const ci7: InMemoryVmSpec = { name: 'ci-7', state: 'poweroff', memoryMb: 4096 };

function newWorlds(va: InMemoryVmSpec[], vb: InMemoryVmSpec[]): void {
  worlds = twoHosts().newWorlds({ host, vms: va }, { host, vms: vb });
}

beforeAll(() => {
  ({ a, b, dir, sshConfig, remoteVBoxManage, down, target } = twoHosts());
});

const hostsFile = (...list: [string, TestSshd | number][]): string => {
  const f = join(dir, `hosts-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(f, list.map(([n, s]) => `${n} ${target(s)}\n`).join(''));
  return f;
};
const env = (): Record<string, string> => cliEnv(null, { VITEST_POOL_ID: process.env['VITEST_POOL_ID'] ?? '' });
const cli = (args: string[]): Promise<CliResult> => runCliInProcess([...args, '--ssh-config', sshConfig, '--vboxmanage', remoteVBoxManage], env());
// As its own process (the built executable): for cases about several processes.
const cliProcess = (args: string[]): Promise<CliResult> => runCli([...args, '--ssh-config', sshConfig, '--vboxmanage', remoteVBoxManage], env());
const changes = (w: FakeWorld): string[] => w.log().filter((e) => e.control !== true && ['controlvm', 'startvm', 'clonevm', 'unregistervm'].includes(e.argv[0] ?? '')).map((e) => e.argv[0] ?? '');
const stateOf = (w: FakeWorld, vm: string): string => /^VMState="(.*)"$/mu.exec(w.run('showvminfo', vm, '--machinereadable'))?.[1] ?? '?';
const state = (): string => mkdtempSync(join(tmpdir(), 'vbb-place-state-'));

describe('start across hosts', () => {
  it('a full host and one with room: the table, the choice, the start there, and the record names that host', async () => {
    newWorlds([...busy(3900), ci7], [busy(512)[0] as InMemoryVmSpec, ci7]);
    const sd = state();
    const r = await cli(['start', 'ci-7', '--hosts', hostsFile(['lab-1', a], ['lab-2', b]), '--state-dir', sd]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^HOST +RANK +FITS +WHY\nlab-2 +1 +yes +can start it: it needs 4\.1 GB of 8\.8 GB headroom \(4\.7 GB left\)\nlab-1 +- +no +needs .* more than its headroom \(819 MB\) and its balloons \(\d+ MB\) can give\nChosen: lab-2 \(strategy least-ballooning\)\.\nStarted ci-7 on lab-2 \(running\) without ballooning\.\n$/u);
    expect(changes(worlds.a)).toEqual([]);
    expect(stateOf(worlds.b, 'ci-7')).toBe('running');
    expect(readdirSync(sd).filter((f) => f.startsWith('room-'))).toEqual([]); // nothing taken: nothing to give back
  });

  it('both full, one can make room: --dry-run shows the ballooning host chosen and changes nothing; --make-room starts there', async () => {
    newWorlds([...busy(3900), ci7], [...busy(512), ci7]);
    const file = hostsFile(['lab-1', a], ['lab-2', b]);
    const none = await cli(['start', 'ci-7', '--hosts', file, '--dry-run']);
    expect(none.code).toBe(3); // without --make-room no host covers it without ballooning
    expect(none.stderr).toMatch(/^error: 0\/2 hosts can start 'ci-7': lab-1 needs .*; lab-2 needs .*$/mu);
    const dry = await cli(['start', 'ci-7', '--hosts', file, '--make-room', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^lab-2 +1 +yes +can start it by ballooning 3\.3 GB from 2 guests/mu);
    expect(dry.stdout).toMatch(/Would run on lab-2 \(dry run, nothing changed\):\n {2}VBoxManage controlvm /u);
    expect([...changes(worlds.a), ...changes(worlds.b)]).toEqual([]);
    const sd = state();
    const r = await cli(['start', 'ci-7', '--hosts', file, '--make-room', '--state-dir', sd, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { host: string; result: { room: unknown } };
    expect(out.host).toBe('lab-2');
    const [record] = readdirSync(sd).filter((f) => f.startsWith('room-'));
    expect(JSON.parse(readFileSync(join(sd, record ?? ''), 'utf8'))).toMatchObject({ host: target(b), record: out.result.room });
    expect(changes(worlds.b)).toEqual(['controlvm', 'controlvm', 'startvm']);
  });

  it('a host down and no host fits: exit 3, every host with its reason, nothing changed', async () => {
    newWorlds([...busy(3900), ci7], [busy(512)[0] as InMemoryVmSpec]);
    const r = await cli(['start', 'ci-7', '--make-room', '--hosts', hostsFile(['lab-1', a], ['lab-2', b], ['lab-3', down])]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^ {2}lab-1: needs .* more than its headroom/mu);
    expect(r.stderr).toMatch(/^ {2}lab-2: has no VM 'ci-7'$/mu);
    expect(r.stderr).toMatch(/^ {2}lab-3: did not answer \(ssh: connection refused\)$/mu);
    expect(r.stderr).toMatch(/^error: 0\/3 hosts can start VM 'ci-7': /mu);
    expect([...changes(worlds.a), ...changes(worlds.b)]).toEqual([]);
  });

  it('a startvm that fails on the best host: undone there, started on the next, and the warning says so', async () => {
    newWorlds([busy(512)[0] as InMemoryVmSpec, ci7], [busy(1024)[0] as InMemoryVmSpec, ci7]);
    worlds.a.setFaults({ startFails: true });
    const r = await cli(['start', 'ci-7', '--hosts', hostsFile(['lab-1', a], ['lab-2', b])]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: lab-1: the start failed there and was undone; tried the next host: /mu);
    expect(r.stdout).toMatch(/Started ci-7 on lab-2 \(running\)/u);
    expect(stateOf(worlds.a, 'ci-7')).toBe('poweroff');
    expect(stateOf(worlds.b, 'ci-7')).toBe('running');
  });

  it('a template on one host only: the clone starts there, and give-back --delete removes it once it is off', async () => {
    const base: InMemoryVmSpec = { name: 'ci-base', state: 'poweroff', memoryMb: 2048, snapshots: ['base'] };
    newWorlds([busy(512)[0] as InMemoryVmSpec], [base]);
    const file = hostsFile(['lab-1', a], ['lab-2', b]);
    const sd = state();
    const r = await cli(['start', 'ci-9', '--hosts', file, '--clone-from', 'ci-base', '--snapshot', 'base', '--state-dir', sd]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lab-1 +- +no +has no VM or template 'ci-base'$/mu);
    expect(r.stdout).toMatch(/Started ci-9 \(a clone of ci-base from snapshot base\) on lab-2 \(running\)/u);
    expect(changes(worlds.b)).toEqual(['clonevm', 'startvm']);
    const early = await cli(['give-back', 'ci-9', '--delete', '--hosts', file, '--state-dir', sd]);
    expect(early.code).toBe(3);
    worlds.b.run('controlvm', 'ci-9', 'poweroff');
    const back = await cli(['give-back', 'ci-9', '--delete', '--hosts', file, '--state-dir', sd]);
    expect(back.stderr).toBe('');
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('ci-9: removed (unregistervm --delete)');
    expect(worlds.b.log().filter((e) => e.argv[0] === 'unregistervm').map((e) => e.argv.slice(2))).toEqual([['--delete']]);
    expect(readdirSync(sd).filter((f) => f.startsWith('room-'))).toEqual([]);
  });

  it('two starts at once (two processes) with room for exactly one per host land on different hosts', async () => {
    const two: InMemoryVmSpec[] = [...busy(3900).slice(0, 2), { name: 'x1', state: 'poweroff', memoryMb: 4096 }, { name: 'x2', state: 'poweroff', memoryMb: 4096 }];
    newWorlds(two, two);
    const file = hostsFile(['lab-1', a], ['lab-2', b]);
    const sd = state();
    const [r1, r2] = await Promise.all([cliProcess(['start', 'x1', '--hosts', file, '--max-hosts', '1', '--state-dir', sd, '--json']), cliProcess(['start', 'x2', '--hosts', file, '--max-hosts', '1', '--state-dir', sd, '--json'])]);
    expect([r1.code, r2.code]).toEqual([0, 0]);
    const hosts = [r1, r2].map((r) => (JSON.parse(r.stdout) as { host: string }).host).sort();
    expect(hosts).toEqual(['lab-1', 'lab-2']);
  });
});
