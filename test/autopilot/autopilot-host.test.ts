// The autopilot under the controller: its changes go through the controller's one gateway (read-back of doubtful
// answers, one command event per VBoxManage run, the per-VM queue), and it learns other changes only by asking.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BalloonController, InMemoryVBoxManageClient, type AutopilotClock, type BalloonEvent, type TickEvent } from '../../src/index.js';

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

// Over budget from the start, so the first tick inflates both VMs.
const inflate = { kind: 'budget', budgetMb: 6000 } as const;

async function oneTick(sim: InMemoryVBoxManageClient): Promise<{ tick: TickEvent; events: BalloonEvent[] }> {
  const events: BalloonEvent[] = [];
  const ticks: TickEvent[] = [];
  const vbox = new BalloonController({ client: sim, onEvent: (e) => events.push(e) });
  await vbox.autopilot({ policy: inflate, maxTicks: 1, clock: clockOf(sim), onTick: (t) => ticks.push(t) })._unsafeUnwrap().done;
  const tick = ticks[0];
  if (tick === undefined) throw new Error('no tick');
  return { tick, events };
}

const argvOf = (events: readonly BalloonEvent[], command: string): string[] => events.flatMap((e) => (e.type === 'command' && e.argv[0] === command ? [e.argv.join(' ')] : []));

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
    expect(argvOf(events, 'list')).toEqual(['list runningvms', 'list hostinfo']);
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

describe('imports run one way', () => {
  const importsOf = (folder: string): string[] =>
    readdirSync(join('src', folder))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(join('src', folder, f), 'utf8').matchAll(/^import[^;]*?from '([^']+)'/gmu)].map((m) => `${f}: ${m[1] ?? ''}`));

  it('the autopilot never imports the controller', () => {
    const all = importsOf('autopilot');
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((line) => /\/controller\//u.test(line))).toEqual([]);
  });

  it('the events import nothing above them', () => {
    const all = importsOf('events');
    expect(all.length).toBeGreaterThan(3);
    expect(all.filter((line) => /\/(controller|autopilot|metrics|fleet|cli)\//u.test(line))).toEqual([]);
  });
});
