// Placing a VM on a fleet of in-memory hosts: every host planned, ranked and explained; the start on the best host
// with fallback; two placements at once; clones from a template; giving back through the fleet.
import { describe, expect, it } from 'vitest';
import { BalloonController, BalloonFleet, InMemoryVBoxManageClient, type BalloonError, type InMemoryVmSpec } from '../../src/index.js';

const host = { memoryMb: 16_384, baseUsedMb: 2048 }; // budget 80 % = 13 107 MB
const busy = (n: number, usedMb: number): InMemoryVmSpec[] => Array.from({ length: n }, (_, i) => ({ name: `g${i}`, state: 'running', memoryMb: 4096, usedMb }));
const ci7: InMemoryVmSpec = { name: 'ci-7', state: 'poweroff', memoryMb: 4096 };

function hostOf(vms: InMemoryVmSpec[]): { client: InMemoryVBoxManageClient; vbox: BalloonController } {
  const client = new InMemoryVBoxManageClient({ host, vms });
  return { client, vbox: new BalloonController({ client }) };
}

async function fleetOf(hosts: Record<string, InMemoryVmSpec[]>): Promise<{ fleet: BalloonFleet; clients: Record<string, InMemoryVBoxManageClient> }> {
  const made = Object.entries(hosts).map(([name, vms]) => ({ name, ...hostOf(vms) }));
  for (const m of made) await m.vbox.inspectAll(); // the guests report from here on
  return { fleet: new BalloonFleet(made.map((m) => ({ name: m.name, controller: m.vbox }))), clients: Object.fromEntries(made.map((m) => [m.name, m.client])) };
}

const down: BalloonError = {
  code: 'SSH_FAILED',
  vm: null,
  host: 'lab-3',
  kind: 'refused',
  argv: ['showvminfo', 'ci-7', '--machinereadable'],
  stderr: 'ssh: connect to host lab-3 port 22: Connection refused',
  transient: true,
  outcome: 'not-applied',
  message: 'Could not run VBoxManage on lab-3 over ssh (refused).',
};

describe('BalloonFleet.planStart', () => {
  it('a full host, one with room, one without the VM and one down: one line each, the one with room chosen', async () => {
    const { fleet, clients } = await fleetOf({
      'lab-1': [...busy(3, 3900), ci7], // 12 288 MB backing, guests keep nothing to give
      'lab-2': [...busy(1, 512), ci7],
      'lab-3': [ci7],
      'lab-4': [],
    });
    clients['lab-3']?.failNext('showVmInfo', down);
    const p = (await fleet.planStart('ci-7'))._unsafeUnwrap();
    expect(p.chosen).toBe('lab-2');
    expect(p.hosts.map((h) => [h.host, h.fits, h.rank])).toEqual([
      ['lab-2', true, 1],
      ['lab-1', false, null],
      ['lab-3', false, null],
      ['lab-4', false, null],
    ]);
    expect(p.summary).toMatch(/^1\/4 hosts can start 'ci-7': lab-2 can start it: it needs 4\.1 GB of 8\.8 GB headroom \(4\.7 GB left\) \(chosen\); lab-1 needs .* more than its headroom \(819 MB\) and its balloons \(\d+ MB\) can give; lab-3 did not answer \(ssh: connection refused\); lab-4 has no VM 'ci-7'$/u);
  });

  it('both full, one can make room by ballooning: that one, with the figures', async () => {
    const { fleet } = await fleetOf({ 'lab-1': [...busy(3, 3900), ci7], 'lab-2': [...busy(3, 512), ci7] });
    const p = (await fleet.planStart('ci-7'))._unsafeUnwrap();
    expect(p.chosen).toBe('lab-2');
    expect(p.hosts[0]?.line).toMatch(/^can start it by ballooning 3\.3 GB from 2 guests \(it needs 4\.1 GB, 819 MB headroom\)$/u);
    expect(p.summary).toMatch(/^1\/2 hosts can start 'ci-7'/u);
  });

  it('a template on one host only: the clone can start there; elsewhere no base, or no such snapshot', async () => {
    const base: InMemoryVmSpec = { name: 'ci-base', state: 'poweroff', memoryMb: 2048, snapshots: ['base'] };
    const { fleet, clients } = await fleetOf({ 'lab-1': [], 'lab-2': [base], 'lab-3': [{ ...base, snapshots: ['old'] }] });
    const before = Object.values(clients).map((c) => c.calls.filter((x) => x.method === 'cloneVm').length);
    const p = (await fleet.planStart('ci-9', { clone: { from: 'ci-base', snapshot: 'base' } }))._unsafeUnwrap();
    expect(p.chosen).toBe('lab-2');
    expect(p.hosts.map((h) => `${h.host} ${h.line}`)).toEqual([
      expect.stringMatching(/^lab-2 can start it: it needs 2\.1 GB/u),
      "lab-1 has no VM or template 'ci-base'",
      "lab-3 has no snapshot 'base' of 'ci-base'",
    ]);
    expect(Object.values(clients).map((c) => c.calls.filter((x) => x.method === 'cloneVm').length)).toEqual(before);
  });

  it('bad input is refused before any host is asked', async () => {
    const { fleet, clients } = await fleetOf({ 'lab-1': [ci7] });
    const calls = clients['lab-1']?.callCount;
    for (const o of [{ strategy: 'random' }, { maxHosts: 0 }, { clone: { from: 'ci-base', name: 'other' } }, { clone: 'ci-base' }, { budgetPercent: 0 }, { bogus: 1 }]) {
      expect((await fleet.planStart('ci-7', o as never))._unsafeUnwrapErr().code).toBe('INVALID_ARGUMENT');
    }
    expect((await fleet.planStart('-x'))._unsafeUnwrapErr().code).toBe('INVALID_ARGUMENT');
    expect(clients['lab-1']?.callCount).toBe(calls);
  });
});

describe('BalloonFleet.startWithRoom', () => {
  it('no host fits: NO_HOST with every host and nothing changed', async () => {
    const { fleet, clients } = await fleetOf({ 'lab-1': [...busy(3, 3900), ci7], 'lab-2': [] });
    const e = (await fleet.startWithRoom('ci-7'))._unsafeUnwrapErr();
    expect(e.code).toBe('NO_HOST');
    expect(e.message).toMatch(/^0\/2 hosts can start VM 'ci-7': lab-1 needs .*; lab-2 has no VM 'ci-7'\. Nothing was changed\./u);
    for (const c of Object.values(clients)) expect(c.calls.filter((x) => x.method === 'setLiveBalloon' || x.method === 'startVm')).toEqual([]);
  });

  it('a startvm that fails on the best host: rolled back there, started on the next, every attempt listed', async () => {
    const { fleet, clients } = await fleetOf({ 'lab-1': [...busy(3, 512), ci7], 'lab-2': [...busy(3, 1024), ci7] });
    clients['lab-1']?.failNext('startVm', 'failed');
    const r = (await fleet.startWithRoom('ci-7', { pollMs: 10 }))._unsafeUnwrap();
    expect(r.host).toBe('lab-2');
    expect(r.attempts.map((a) => [a.host, a.ok, a.error?.code ?? null])).toEqual([
      ['lab-1', false, 'APPLY_FAILED'],
      ['lab-2', true, null],
    ]);
    const first = r.attempts[0]?.error;
    if (first?.code !== 'APPLY_FAILED') throw new Error('expected APPLY_FAILED');
    expect(first.changes.every((c) => c.rollback === 'restored')).toBe(true);
    const balloons = async (c: InMemoryVBoxManageClient): Promise<number[]> => Promise.all(['g0', 'g1', 'g2'].map(async (g) => (await c.showVmInfo(g))._unsafeUnwrap().balloonMb));
    expect(await balloons(clients['lab-1'] as InMemoryVBoxManageClient)).toEqual([0, 0, 0]);
    expect(r.result.state).toBe('running');
  });

  it('two placements at once on a fleet with room for exactly one per host land on different hosts', async () => {
    const two: InMemoryVmSpec[] = [...busy(2, 3900), { name: 'x1', state: 'poweroff', memoryMb: 4096 }, { name: 'x2', state: 'poweroff', memoryMb: 4096 }];
    const { fleet } = await fleetOf({ 'lab-1': two, 'lab-2': two });
    const [a, b] = await Promise.all([fleet.startWithRoom('x1', { maxHosts: 1 }), fleet.startWithRoom('x2', { maxHosts: 1 })]);
    const hosts = [a._unsafeUnwrap().host, b._unsafeUnwrap().host].sort();
    expect(hosts).toEqual(['lab-1', 'lab-2']);
    // The second planned with the first held on its host: lab-1 could not take it any more.
    const third = await fleet.planStart('x2');
    expect(third._unsafeUnwrap().chosen).toBeNull();
  });

  it('a clone from a template, started where the template is, and given back with delete through the fleet', async () => {
    const base: InMemoryVmSpec = { name: 'ci-base', state: 'poweroff', memoryMb: 2048, snapshots: ['base'] };
    const { fleet, clients } = await fleetOf({ 'lab-1': [], 'lab-2': [base] });
    const r = (await fleet.startWithRoom('ci-9', { clone: { from: 'ci-base', snapshot: 'base', name: 'ci-9' } }))._unsafeUnwrap();
    expect(r).toMatchObject({ host: 'lab-2', result: { started: true, clone: { from: 'ci-base', name: 'ci-9' } } });
    expect((await fleet.giveBack(r, { delete: true }))._unsafeUnwrapErr().code).toBe('INVALID_VM_STATE');
    clients['lab-2']?.powerOffVm('ci-9');
    expect((await fleet.giveBack(r, { delete: true }))._unsafeUnwrap()).toMatchObject({ host: 'lab-2', deleted: true });
    expect((await clients['lab-2']?.showVmInfo('ci-9'))?._unsafeUnwrapErr().code).toBe('VM_NOT_FOUND');
    expect((await fleet.giveBack({ host: 'nope', room: r.result.room }))._unsafeUnwrapErr().code).toBe('INVALID_ARGUMENT');
  });
});

describe('an abort at each step of a fleet start: nothing hidden, nothing left', () => {
  const base: InMemoryVmSpec = { name: 'ci-base', state: 'poweroff', memoryMb: 4096, snapshots: ['base'] };
  for (const step of ['clonevm', 'controlvm', 'startvm'] as const) {
    it(`aborted at ${step}: the error says what was done and undone, and the host is as before`, async () => {
      const client = new InMemoryVBoxManageClient({ host, vms: [...busy(3, 512), base] });
      const abort = new AbortController();
      const vbox = new BalloonController({ client, onEvent: (e) => { if (e.type === 'command' && e.argv[0] === step) abort.abort(); } });
      await vbox.inspectAll();
      const fleet = new BalloonFleet([{ name: 'lab-1', controller: vbox }]);
      const e = (await fleet.startWithRoom('ci-7', { clone: { from: 'ci-base' }, signal: abort.signal, pollMs: 10 }))._unsafeUnwrapErr();
      expect(['ABORTED', 'APPLY_FAILED']).toContain(e.code);
      if (e.code === 'APPLY_FAILED') {
        expect(e.changes.every((c) => c.rollback === 'restored')).toBe(true);
        expect(e.clone === undefined || e.clone.removed).toBe(true);
      }
      expect((await client.listVms())._unsafeUnwrap().map((v) => v.name)).toEqual(['g0', 'g1', 'g2', 'ci-base']);
      for (const g of ['g0', 'g1', 'g2']) expect((await client.showVmInfo(g))._unsafeUnwrap().balloonMb).toBe(0);
    });
  }
});
