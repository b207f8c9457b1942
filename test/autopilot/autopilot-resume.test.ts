// Kept across restarts and outages: a restarted autopilot goes on where the last one stopped, and a host whose
// VBoxManage fails for every call is asked less and less often (up to maxBackoffMs), then at the interval again.
import { describe, expect, it } from 'vitest';
import { BalloonController, type AutopilotResumeVm, type BudgetPolicy, type TickEvent } from '../../src/index.js';
import { sixVmHost, steady, virtualClock } from './simulation.js';

const budget: BudgetPolicy = { kind: 'budget', budgetMb: 20_000, guestMinFreeMb: 256, maxChangeMb: 100, deadbandMb: 10 };

// What the CLI keeps in its state file after a tick: the size asked for and the balloon seen, per VM UUID.
function resumeFrom(e: TickEvent): Record<string, AutopilotResumeVm> {
  const out: Record<string, AutopilotResumeVm> = {};
  for (const [i, v] of (e.snapshot?.vms ?? []).entries()) {
    const entry = e.plan?.entries[i]; // entries follow the snapshot's order
    const applied = entry !== undefined && e.applied.includes(entry) ? entry : undefined;
    out[v.uuid] = { askedMb: applied?.toMb ?? v.lastAskedMb ?? v.balloonMb, seenMb: v.balloonMb };
  }
  return out;
}

describe('autopilot across a restart and an outage', () => {
  it('a restarted autopilot of a converged fleet moves no balloon on its first ticks', async () => {
    const sim = sixVmHost(steady);
    const events: TickEvent[] = [];
    const first = new BalloonController({ client: sim }).autopilot({ policy: budget, intervalMs: 10_000, maxTicks: 300, clock: virtualClock(sim), onTick: (e) => events.push(e) });
    await first._unsafeUnwrap().done;
    const last = events[events.length - 1] as TickEvent;
    expect(events.slice(-20).every((e) => e.applied.length === 0)).toBe(true); // converged
    const balloons = last.snapshot?.vms.map((v) => v.balloonMb);
    // A new process: a new controller on the same host, told what the last run asked for.
    const after: TickEvent[] = [];
    const second = new BalloonController({ client: sim }).autopilot({ policy: budget, intervalMs: 10_000, maxTicks: 5, clock: virtualClock(sim), resume: resumeFrom(last), onTick: (e) => after.push(e) });
    await second._unsafeUnwrap().done;
    expect(after.map((e) => e.applied.length)).toEqual([0, 0, 0, 0, 0]);
    expect(after[0]?.snapshot?.vms.map((v) => v.balloonMb)).toEqual(balloons);
  });

  // A deflation the earlier run asked for and saw make no progress is taken as stuck, as within one run; a view of a
  // VM whose balloon is no longer the size asked for (restarted since, or set by someone else) is not used.
  for (const [title, askedMb, expected] of [
    ['a stuck deflation goes on being seen as stuck', 0, 500],
    ['a view of a balloon set since is dropped', 300, 0],
  ] as const) {
    it(`resume: ${title}`, async () => {
      const sim = sixVmHost(steady);
      (await sim.setLiveBalloon('web-1', 500))._unsafeUnwrap();
      sim.advanceTime(60_000);
      (await sim.setLiveBalloon('web-1', 0))._unsafeUnwrap(); // asked back to 0; the guest still holds 500
      const uuid = (await sim.showVmInfo('web-1'))._unsafeUnwrap().uuid;
      const events: TickEvent[] = [];
      const run = new BalloonController({ client: sim }).autopilot({ policy: budget, dryRun: true, maxTicks: 1, clock: virtualClock(sim), resume: { [uuid]: { askedMb, seenMb: 500 } }, onTick: (e) => events.push(e) });
      await run._unsafeUnwrap().done;
      const vm = events[0]?.snapshot?.vms.find((v) => v.uuid === uuid);
      expect(vm?.balloonMb).toBe(500);
      expect(vm?.lastAskedMb).toBe(expected);
    });
  }

  it('resume is checked: keyed by UUID, each with askedMb', () => {
    const sim = sixVmHost(steady);
    const c = new BalloonController({ client: sim });
    expect(c.autopilot({ policy: budget, resume: { 'web-1': { askedMb: 1 } } })._unsafeUnwrapErr()).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options.resume key' });
    expect(c.autopilot({ policy: budget, resume: { '00000000-0000-4000-8000-000000000001': { seenMb: 1 } as never } })._unsafeUnwrapErr()).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(c.autopilot({ policy: budget, maxBackoffMs: -1 })._unsafeUnwrapErr()).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options.maxBackoffMs' });
  });

  it('backs off while every call fails, up to maxBackoffMs, and goes back to the interval when VirtualBox answers', async () => {
    const sim = sixVmHost(steady);
    const waits: number[] = [];
    const clock = virtualClock(sim);
    let failing = 6;
    const run = new BalloonController({ client: sim }).autopilot({
      policy: budget,
      intervalMs: 1000,
      maxBackoffMs: 8000,
      maxTicks: 10,
      clock: { now: () => clock.now(), sleep: (ms, signal) => (waits.push(ms), clock.sleep(ms, signal)) },
      onTick: () => {
        if (failing-- > 0) sim.failNext('listRunningVms', 'vboxsvc-down');
      },
    });
    const n = await run._unsafeUnwrap().done;
    expect(n).toBe(10);
    // Tick 1 reads the host; ticks 2-7 fail (each tick's listener fails the next one's first call); 8 on read again.
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000, 8000, 8000, 1000, 1000]);
  });
});
