// BalloonFleet over in-memory hosts: inspection across hosts, one autopilot per host, and its input checks. Over
// real sshd's, with a host that refuses connections: test/remote/fleet.e2e.test.ts.
import { describe, expect, it } from 'vitest';
import { BalloonController, BalloonFleet, InMemoryVBoxManageClient, type AutopilotClock, type FleetTickEvent } from '../../src/index.js';
import { lab3Failed } from '../helpers/fleet.js';

const clockOf = (sim: InMemoryVBoxManageClient): AutopilotClock => ({
  now: () => sim.time,
  sleep: (ms, signal) => Promise.resolve(signal?.aborted === true ? false : (sim.advanceTime(ms), true)),
});

describe('BalloonFleet over in-memory hosts', () => {
  it('inspects every host; a host that fails is reported for that host with its error, and the others answer', async () => {
    const a = new InMemoryVBoxManageClient({ vms: [{ name: 'web-1', state: 'running' }, { name: 'db-1', state: 'poweroff' }] });
    const b = new InMemoryVBoxManageClient({ vms: [{ name: 'web-1', state: 'running' }] });
    const c = new InMemoryVBoxManageClient({ vms: [{ name: 'x', state: 'running' }] }).failNext('listVms', 'vboxsvc-down');
    const fleet = new BalloonFleet([
      { name: 'lab-1', controller: new BalloonController({ client: a }) },
      { name: 'lab-2', controller: new BalloonController({ client: b }) },
      { name: 'lab-3', controller: new BalloonController({ client: c }) },
    ]);
    const e = lab3Failed((await fleet.inspectAll())._unsafeUnwrap());
    expect(e).toMatchObject({ code: 'VBOXMANAGE_FAILED', transient: true });
    expect(e.message).toMatch(/Failed to create the VirtualBox object/u);
  });

  it('runs one autopilot per host, each with its own budget, with one stream of ticks tagged by host', async () => {
    const a = new InMemoryVBoxManageClient({ host: { memoryMb: 16384 }, vms: [{ name: 'x', state: 'running', memoryMb: 4096, usedMb: 1000 }] });
    const b = new InMemoryVBoxManageClient({ host: { memoryMb: 16384 }, vms: [{ name: 'x', state: 'running', memoryMb: 4096, usedMb: 1000 }] });
    const fleet = new BalloonFleet([
      { name: 'a', controller: new BalloonController({ client: a }) },
      { name: 'b', controller: new BalloonController({ client: b }) },
    ]);
    const ticks: FleetTickEvent[] = [];
    const handle = fleet
      .autopilot({
        policy: { kind: 'budget', budgetMb: 16_000 },
        perHost: { b: { policy: { kind: 'budget', budgetMb: 3000 }, clock: clockOf(b) } },
        clock: clockOf(a),
        maxTicks: 3,
        onTick: (t) => ticks.push(t),
      })
      ._unsafeUnwrap();
    expect(await handle.done).toEqual({ a: 3, b: 3 });
    expect(ticks.filter((t) => t.host === 'a')).toHaveLength(3);
    expect(ticks.find((t) => t.host === 'b')?.plan?.budget?.budgetMb).toBe(3000);
    expect(ticks.find((t) => t.host === 'a')?.plan?.budget?.budgetMb).toBe(16_000);
  });

  it.each<[string, unknown]>([
    ['no hosts', []],
    ['not an array', 'lab-1'],
    ['a name twice', [{ name: 'a', controller: {} }, { name: 'a', controller: {} }]],
    ['not a controller', [{ name: 'a', controller: { inspectAll: 1 } }]],
  ])('a fleet with %s answers INVALID_ARGUMENT', async (_, hosts) => {
    const fleet = new BalloonFleet(hosts as never);
    expect((await fleet.inspectAll())._unsafeUnwrapErr().code).toBe('INVALID_ARGUMENT');
    expect(fleet.autopilot({ policy: { kind: 'budget' } })._unsafeUnwrapErr().code).toBe('INVALID_ARGUMENT');
  });

  it('perHost for a host that is not in the fleet is refused, and nothing starts', () => {
    const sim = new InMemoryVBoxManageClient();
    const fleet = new BalloonFleet([{ name: 'a', controller: new BalloonController({ client: sim }) }]);
    expect(fleet.autopilot({ policy: { kind: 'budget' }, perHost: { zz: {} } })._unsafeUnwrapErr()).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(sim.calls).toHaveLength(0);
  });
});
