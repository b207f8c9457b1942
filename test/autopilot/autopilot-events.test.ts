// The autopilot as one of the controller's callers: its events, one at a time, listener bugs and interrupted changes.
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BalloonController, InMemoryVBoxManageClient, type AutopilotClock, type BalloonEvent, type TickEvent } from '../../src/index.js';
import { balloonMetrics } from '../../src/metrics/index.js';

function host(balloonRateMbPerSec?: number): InMemoryVBoxManageClient {
  return new InMemoryVBoxManageClient({
    host: { memoryMb: 16384 },
    ...(balloonRateMbPerSec === undefined ? {} : { balloonRateMbPerSec }),
    vms: [
      { name: 'a', state: 'running', memoryMb: 4096, usedMb: 1000 },
      { name: 'b', state: 'running', memoryMb: 4096, usedMb: 1500 },
    ],
  });
}

const clockOf = (sim: InMemoryVBoxManageClient): AutopilotClock => ({
  now: () => sim.time,
  sleep: (ms, signal) => Promise.resolve(signal?.aborted === true ? false : (sim.advanceTime(ms), true)),
});

// Over budget from the start, so the first tick inflates.
const policy = { kind: 'budget', budgetMb: 6000 } as const;

describe('autopilot events and safety', () => {
  it('reports its commands, changes and ticks through the controller onEvent', async () => {
    const sim = host();
    const events: BalloonEvent[] = [];
    const vbox = new BalloonController({ client: sim, onEvent: (e) => events.push(e) });
    await vbox.autopilot({ policy, maxTicks: 2, clock: clockOf(sim) })._unsafeUnwrap().done;
    const commands = events.flatMap((e) => (e.type === 'command' ? [e.argv.join(' ')] : []));
    expect(commands[0]).toBe('list runningvms');
    expect(commands).toContain('metrics query * Guest/RAM/Usage/Total,Guest/RAM/Usage/Free,Guest/RAM/Usage/Free:min,Guest/RAM/Usage/Balloon,Guest/RAM/Usage/Cache,Guest/RAM/Usage/Shared');
    const changes = events.flatMap((e) => (e.type === 'change' ? [e.change] : []));
    expect(changes.length).toBeGreaterThan(0);
    // Acted on by UUID, named for people.
    expect(changes[0]).toMatchObject({ vm: 'a', uuid: '00000000-0000-4000-8000-000000000001', kind: 'live' });
    expect(changes[0]?.commands[0]?.[1]).toBe('00000000-0000-4000-8000-000000000001');
    expect(events.filter((e) => e.type === 'tick')).toHaveLength(2);
  });

  it('a VM with large pages on is a warning once, when first seen: not a tick error, not in vm_errors_total', async () => {
    const sim = host();
    sim.addVm({ name: 'lp', state: 'running', memoryMb: 2048, usedMb: 500, largePages: true });
    const registry = new Registry();
    const m = balloonMetrics({ registry, host: 'lab-1' })._unsafeUnwrap();
    const events: BalloonEvent[] = [];
    const ticks: TickEvent[] = [];
    const vbox = new BalloonController({ client: sim, onEvent: (e) => { events.push(e); m.onEvent(e); } });
    const onTick = (t: TickEvent): void => { ticks.push(t); m.onTick(t); };
    await vbox.autopilot({ policy, maxTicks: 3, clock: clockOf(sim), onTick })._unsafeUnwrap().done;
    expect(ticks).toHaveLength(3);
    for (const t of ticks) expect(t.errors).toEqual([]);
    // Still in the snapshot, where it counts with all of its RAM.
    expect(ticks[2]?.snapshot?.vms.find((v) => v.name === 'lp')).toMatchObject({ largePages: true });
    const warnings = events.filter((e) => e.type === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ vm: 'lp', message: expect.stringContaining('large pages') as unknown, fix: { steps: [{ kind: 'disable-large-pages', vm: 'lp' }] } });
    const text = await registry.metrics();
    expect(text).not.toMatch(/vbox_balloon_vm_errors_total\{[^}]*\} [1-9]/u);
    expect(text).toContain('vbox_balloon_last_tick_success{host="lab-1"} 1');
    expect(text).toContain('vbox_balloon_warnings_total{host="lab-1"} 1');
  });

  it('refuses a second autopilot on the same controller, and allows one once the first has ended', async () => {
    const sim = host();
    const vbox = new BalloonController({ client: sim });
    const first = vbox.autopilot({ policy, intervalMs: 3_600_000 })._unsafeUnwrap();
    expect(vbox.autopilot({ policy })._unsafeUnwrapErr()).toMatchObject({ code: 'AUTOPILOT_RUNNING' });
    first.stop();
    await first.done;
    const second = vbox.autopilot({ policy, maxTicks: 1, clock: clockOf(sim) });
    expect(second.isOk()).toBe(true);
    await second._unsafeUnwrap().done;
  });

  it('an onTick that throws is reported and the loop goes on; an onEvent that throws is ignored', async () => {
    const sim = host();
    const events: BalloonEvent[] = [];
    const vbox = new BalloonController({
      client: sim,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'change') throw new Error('listener bug');
      },
    });
    let ticks = 0;
    const done = await vbox
      .autopilot({
        policy,
        maxTicks: 3,
        clock: clockOf(sim),
        onTick: () => {
          ticks++;
          throw new Error('boom');
        },
      })
      ._unsafeUnwrap().done;
    expect(done).toBe(3);
    expect(ticks).toBe(3);
    expect(events.filter((e) => e.type === 'warning' && /onTick threw on tick \d: boom; the autopilot goes on/u.test(e.message))).toHaveLength(3);
  });

  it('a change cut short is listed as maybe applied, with its error', async () => {
    const sim = host();
    sim.failNext('setLiveBalloon', 'aborted', { applied: true });
    const ticks: TickEvent[] = [];
    await new BalloonController({ client: sim }).autopilot({ policy, maxTicks: 1, clock: clockOf(sim), onTick: (t) => ticks.push(t) })._unsafeUnwrap().done;
    const t = ticks[0];
    expect(t?.maybeApplied).toHaveLength(1);
    expect(t?.errors[0]?.error).toMatchObject({ code: 'ABORTED', outcome: 'unknown' });
    expect(t?.applied.map((e) => e.vm)).not.toContain(t?.maybeApplied[0]?.vm);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ policy, limits: { a: { shares: Number.NaN } } }, 'options.limits["a"].shares'],
    [{ policy, limits: { a: { minMb: '1' } } }, 'options.limits["a"].minMb'],
    [{ policy, limits: { a: { bogus: 1 } } }, 'options.limits["a"].bogus'],
    [{ policy, limits: [] }, 'options.limits'],
    [{ policy, intervalMs: 2 ** 31 }, 'options.intervalMs'],
    [{ policy, intervalMs: Number.POSITIVE_INFINITY }, 'options.intervalMs'],
    [{ policy, dryRun: 'yes' }, 'options.dryRun'],
    [{ policy, onTick: 'log' }, 'options.onTick'],
    [{ policy, clock: { now: () => 0 } }, 'options.clock'],
    [{ policy, signal: {} }, 'options.signal'],
    [{ policy, maxTicks: 1.5 }, 'options.maxTicks'],
    [{ policy, dryrun: true }, 'options.dryrun'],
  ])('bad option %j is INVALID_ARGUMENT naming %s, and nothing runs', (options, argument) => {
    const sim = host();
    const r = new BalloonController({ client: sim }).autopilot(options as never);
    expect(r._unsafeUnwrapErr()).toMatchObject({ code: 'INVALID_ARGUMENT', argument });
    expect(sim.calls).toHaveLength(0);
  });

  it('no options at all, or null, is INVALID_ARGUMENT rather than a throw', () => {
    const vbox = new BalloonController({ client: host() });
    expect(vbox.autopilot(undefined as never)._unsafeUnwrapErr().code).toBe('INVALID_ARGUMENT');
    expect(vbox.autopilot(null as never)._unsafeUnwrapErr().code).toBe('INVALID_ARGUMENT');
  });
});

async function oneTick(sim: InMemoryVBoxManageClient): Promise<{ tick: TickEvent; events: BalloonEvent[] }> {
  const events: BalloonEvent[] = [];
  const ticks: TickEvent[] = [];
  const vbox = new BalloonController({ client: sim, onEvent: (e) => events.push(e) });
  await vbox.autopilot({ policy, maxTicks: 1, clock: clockOf(sim), onTick: (t) => ticks.push(t) })._unsafeUnwrap().done;
  const tick = ticks[0];
  if (tick === undefined) throw new Error('no tick');
  return { tick, events };
}

const argvOf = (events: readonly BalloonEvent[], command: string): string[] => events.flatMap((e) => (e.type === 'command' && e.argv[0] === command ? [e.argv.join(' ')] : []));

// Its changes go through the controller's one gateway: read-back of doubtful answers, one command event per
// VBoxManage run, the per-VM queue; and it learns other changes only by asking the controller.
describe('the autopilot changes balloons through the controller', () => {
  it('a controlvm that exits 0 with garbage but made the change is read back: applied, with a warning', async () => {
    const sim = host();
    sim.failNext('setLiveBalloon', 'garbage', { applied: true });
    const { tick, events } = await oneTick(sim);
    expect(tick.applied.map((e) => e.vm).sort()).toEqual(['a', 'b']);
    expect(tick.maybeApplied).toEqual([]);
    expect(tick.errors).toEqual([]);
    const warnings = events.filter((e) => e.type === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ message: expect.stringMatching(/reading the VM back shows the change was applied/u) as unknown });
    // Both changes are reported as made, and VirtualBox has both.
    expect(events.filter((e) => e.type === 'change')).toHaveLength(2);
    for (const e of tick.applied) expect((await sim.showVmInfo(e.vm))._unsafeUnwrap().balloonMb).toBe(e.toMb);
  });

  it('a controlvm that exits 0 with garbage and changed nothing is maybe applied, with its error', async () => {
    const sim = host();
    sim.failNext('setLiveBalloon', 'garbage', { applied: false });
    const { tick, events } = await oneTick(sim);
    expect(tick.applied).toHaveLength(1);
    expect(tick.maybeApplied).toHaveLength(1);
    expect(tick.errors).toEqual([{ vm: tick.maybeApplied[0]?.vm, error: expect.objectContaining({ code: 'VBOXMANAGE_FAILED', outcome: 'unknown', exitCode: 0 }) as unknown }]);
    expect(events.filter((e) => e.type === 'change')).toHaveLength(1);
  });

  it("a tick's changes emit exactly one command event per VBoxManage run, the read-back included", async () => {
    const sim = host();
    sim.failNext('setLiveBalloon', 'garbage', { applied: true });
    const { tick, events } = await oneTick(sim);
    expect(tick.applied).toHaveLength(2);
    const ran = (command: string): string[] => sim.calls.filter((c) => c.argv[0] === command).map((c) => c.argv.join(' '));
    expect(argvOf(events, 'controlvm').sort()).toEqual(ran('controlvm').sort());
    expect(ran('controlvm')).toHaveLength(2);
    // Two VMs first seen, then the one read back.
    expect(argvOf(events, 'showvminfo').sort()).toEqual(ran('showvminfo').sort());
    expect(ran('showvminfo')).toHaveLength(3);
    // The first tick also lists every VM: one outside the running list may hold memory.
    expect(argvOf(events, 'list')).toEqual(['list runningvms', 'list hostinfo', 'list vms']);
  });

  it('learns a balloon set through the controller between two ticks by asking the controller', async () => {
    const sim = host(64);
    const ticks: TickEvent[] = [];
    const vbox = new BalloonController({ client: sim });
    let set: Promise<unknown> = Promise.resolve();
    const run = vbox.autopilot({
      policy: { kind: 'budget', budgetMb: 16000 },
      maxTicks: 2,
      // No time passes between the ticks: the guest has not moved its balloon yet, only VirtualBox knows the request.
      clock: { now: () => sim.time, sleep: async () => (await set, true) },
      onTick: (t) => {
        ticks.push(t);
        if (t.tick === 1) set = (async () => vbox.setBalloon('a', 1000))();
      },
    });
    await run._unsafeUnwrap().done;
    const asked = (t: TickEvent | undefined): number | undefined => t?.snapshot?.vms.find((v) => v.name === 'a')?.lastAskedMb;
    expect(asked(ticks[0])).toBe(0);
    expect(asked(ticks[1])).toBe(1000);
    expect(ticks[1]?.snapshot?.vms.find((v) => v.name === 'a')?.balloonMb).toBe(0);
  });

  it('two changes to one VM queue: the first one read back sees its own size, not the second', async () => {
    const sim = host();
    sim.failNext('setLiveBalloon', 'garbage', { applied: true });
    const events: BalloonEvent[] = [];
    const vbox = new BalloonController({ client: sim, onEvent: (e) => events.push(e) });
    const [first, second] = await Promise.all([vbox.setBalloon('a', 1000), vbox.setBalloon('a', 1200)]);
    expect(first._unsafeUnwrap().toMb).toBe(1000);
    expect(second._unsafeUnwrap().toMb).toBe(1200);
    // The read-back of the first ran before the second controlvm.
    const order = events.flatMap((e) => (e.type === 'command' ? [e.argv[0]] : []));
    expect(order).toEqual(['showvminfo', 'showvminfo', 'controlvm', 'showvminfo', 'controlvm']);
    expect((await sim.showVmInfo('a'))._unsafeUnwrap().balloonMb).toBe(1200);
  });
});
