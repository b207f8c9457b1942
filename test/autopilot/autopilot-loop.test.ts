import { describe, expect, it } from 'vitest';
import { BalloonController, type AutopilotClock, type BalloonCtrlPolicy, type BudgetPolicy, type TickEvent } from '../../src/index.js';
import { sixVmHost, steady, virtualClock } from './simulation.js';

const budget: BudgetPolicy = { kind: 'budget', budgetMb: 20_000, guestMinFreeMb: 256, maxChangeMb: 100, deadbandMb: 10 };

async function run(policy = budget as BudgetPolicy | BalloonCtrlPolicy, ticks = 300, extra: Parameters<typeof sixVmHost>[1] = [], limits = {}) {
  const sim = sixVmHost(steady, extra);
  const events: TickEvent[] = [];
  const callsPerTick: number[] = [];
  let seen = 0;
  const controller = new BalloonController({ client: sim });
  const handle = controller
    .autopilot({
      policy,
      limits,
      intervalMs: 10_000,
      maxTicks: ticks,
      clock: virtualClock(sim),
      onTick: (e) => {
        events.push(e);
        callsPerTick.push(sim.callCount - seen);
        seen = sim.callCount;
      },
    })
    ._unsafeUnwrap();
  expect(await handle.done).toBe(ticks);
  return { sim, events, callsPerTick };
}

const backing = (e: TickEvent) => (e.snapshot?.vms ?? []).reduce((s, v) => s + v.memoryMb - v.balloonMb, 0);

describe('autopilot simulation (virtual time, budget policy)', () => {
  it('converges to the budget and stays there', async () => {
    const { events } = await run();
    const start = backing(events[0] as TickEvent);
    expect(start).toBeGreaterThan(20_000);
    for (const e of events.slice(-30)) expect(backing(e)).toBeLessThanOrEqual(20_000 + 10 * 6);
    expect(events.slice(-30).every((e) => e.applied.length === 0)).toBe(true);
  });

  it('never pushes a guest below its floor', async () => {
    const { events } = await run();
    for (const e of events) {
      for (const a of e.applied.filter((x) => x.deltaMb > 0)) {
        const v = e.snapshot?.vms.find((x) => x.name === a.vm);
        expect((v?.guestFreeMb ?? 0) - a.deltaMb).toBeGreaterThanOrEqual(256);
      }
      for (const v of e.snapshot?.vms ?? []) expect(v.guestFreeMb ?? 256).toBeGreaterThanOrEqual(256 - 64); // at most one tick of inflation in flight
    }
  });

  it('does not flip between inflating and deflating under a steady workload', async () => {
    const { events } = await run();
    const flips = new Map<string, number>();
    const last = new Map<string, number>();
    for (const e of events) {
      for (const a of e.applied) {
        const sign = Math.sign(a.deltaMb);
        if (last.has(a.vm) && last.get(a.vm) !== sign) flips.set(a.vm, (flips.get(a.vm) ?? 0) + 1);
        last.set(a.vm, sign);
      }
    }
    for (const n of flips.values()) expect(n).toBeLessThanOrEqual(2);
  });

  it('makes no change while a guest reports no stats', async () => {
    const { events } = await run(budget, 100, [{ name: 'no-ga', state: 'running', memoryMb: 4096, guestAdditionsRunLevel: 1 }]);
    expect(events.flatMap((e) => e.applied).some((a) => a.vm === 'no-ga')).toBe(false);
    expect(events[5]?.plan?.entries.find((e) => e.vm === 'no-ga')?.reason).toMatch(/not up yet/u);
  });

  it('a steady tick costs list runningvms + one metrics query + one controlvm per VM that changes', async () => {
    const { events, callsPerTick } = await run(budget, 60);
    for (const [i, e] of events.entries()) {
      if (i < 2) continue; // the first tick also reads each VM, the host, and sets up metrics
      expect(callsPerTick[i]).toBe(2 + e.applied.length);
    }
    expect(callsPerTick[0]).toBeGreaterThan(2 + 6);
  });

  it('follows a changing workload: deflates a guest whose use grows', async () => {
    const sim = sixVmHost({ ...steady, 'web-1': (t) => (t < 1_000_000 ? 500 : 3500) });
    const events: TickEvent[] = [];
    const h = new BalloonController({ client: sim })
      .autopilot({ policy: budget, maxTicks: 250, clock: virtualClock(sim), onTick: (e) => events.push(e) })
      ._unsafeUnwrap();
    await h.done;
    const web1 = (e: TickEvent) => e.snapshot?.vms.find((v) => v.name === 'web-1');
    const before = web1(events[95] as TickEvent)?.balloonMb ?? 0;
    const after = web1(events.at(-1) as TickEvent);
    expect(before).toBeGreaterThan(1000);
    expect(after?.balloonMb).toBeLessThan(before);
    expect(after?.guestFreeMb).toBeGreaterThanOrEqual(256 - 64);
  });
});

describe('autopilot simulation (budget policy, someone else moves a balloon)', () => {
  it('relieves a guest whose balloon another tool inflated, and forgets its own stale request', async () => {
    const sim = sixVmHost(steady);
    const events: TickEvent[] = [];
    const h = new BalloonController({ client: sim })
      .autopilot({
        policy: budget,
        maxTicks: 80,
        clock: virtualClock(sim),
        onTick: (e) => {
          events.push(e);
          // At tick 40 another tool inflates web-1's balloon by 500 MB; at tick 44 its guest needs 500 MB more.
          if (e.tick === 40) void sim.setLiveBalloon('web-1', (e.snapshot?.vms.find((v) => v.name === 'web-1')?.balloonMb ?? 0) + 500);
          if (e.tick === 44) sim.setWorkload('web-1', () => 1700);
        },
      })
      ._unsafeUnwrap();
    await h.done;
    const web1 = (e: TickEvent | undefined) => e?.snapshot?.vms.find((v) => v.name === 'web-1');
    const pressed = events.findIndex((e, i) => i > 40 && (web1(e)?.guestFreeMb ?? 9999) < 256);
    expect(pressed).toBeGreaterThan(40);
    expect(pressed).toBeLessThan(46);
    const relief = events[pressed]?.applied.find((a) => a.vm === 'web-1'); // in the same tick
    expect(relief?.deltaMb).toBeLessThan(0);
    // It pushed back (under its reserve, 410 MB, while ballooned): deflated at once and cooled down.
    expect(relief?.reason).toMatch(/the guest pushed back: its free memory fell to \d+ MB, under its reserve 410 MB, while its balloon holds \d+ MB; cooling down for 6 ticks/u);
    for (const e of events.slice(pressed + 2)) expect(web1(e)?.guestFreeMb).toBeGreaterThanOrEqual(256);
  });
});

describe('autopilot simulation (balloonctrl policy)', () => {
  it('inflates toward each VM\'s requested size and keeps the lower limit', async () => {
    // As VBoxBalloonCtrl: down to the lower limit, no reserve as a share of RAM.
    const { events } = await run({ kind: 'balloonctrl', guestMinFreePercent: 0 }, 80, [], { 'web-1': { maxBalloonMb: 2000 }, 'ci-1': { maxBalloonMb: 10_000 } });
    const final = events.at(-1)?.snapshot?.vms ?? [];
    expect(final.find((v) => v.name === 'web-1')?.balloonMb).toBe(2000);
    const ci1 = final.find((v) => v.name === 'ci-1');
    expect(ci1?.guestFreeMb).toBeGreaterThan(128);
    expect(ci1?.guestFreeMb).toBeLessThan(128 + 256);
    expect(final.find((v) => v.name === 'db-1')?.balloonMb).toBe(0); // no requested size: VBoxBalloonCtrl leaves it
  });
});

describe('autopilot loop', () => {
  it('reports a failure on one VM and goes on', async () => {
    const sim = sixVmHost(steady);
    sim.failNext('setLiveBalloon', { code: 'VM_LOCKED', vm: 'x', vboxCode: null, transient: true, stderr: '', message: 'locked' });
    const events: TickEvent[] = [];
    const h = new BalloonController({ client: sim }).autopilot({ policy: budget, maxTicks: 3, clock: virtualClock(sim), onTick: (e) => events.push(e) })._unsafeUnwrap();
    expect(await h.done).toBe(3);
    expect(events[0]?.errors.map((e) => e.error.code)).toEqual(['VM_LOCKED']);
    expect(events[0]?.applied.length).toBeGreaterThan(0);
    expect(events[1]?.errors).toEqual([]);
  });

  it('reports a failed tick and tries again at the next', async () => {
    const sim = sixVmHost(steady);
    sim.failNext('listRunningVms', { code: 'VBOXMANAGE_NOT_FOUND', vm: null, searched: [], source: 'search', reason: 'not-installed', message: 'gone' });
    const events: TickEvent[] = [];
    const h = new BalloonController({ client: sim }).autopilot({ policy: budget, maxTicks: 2, clock: virtualClock(sim), onTick: (e) => events.push(e) })._unsafeUnwrap();
    await h.done;
    expect(events[0]).toMatchObject({ tick: 1, snapshot: null, plan: null, errors: [{ vm: null, error: { code: 'VBOXMANAGE_NOT_FOUND' } }] });
    expect(events[1]?.plan?.entries).toHaveLength(6);
  });

  it('balloons a VM whose name starts with "-" through its UUID', async () => {
    const { events } = await run(budget, 40, [{ name: '-odd', state: 'running', memoryMb: 4096, usedMb: 500 }]);
    expect(events.flatMap((e) => e.errors)).toEqual([]);
    expect(events.flatMap((e) => e.applied).some((a) => a.vm === '-odd')).toBe(true);
  });

  it('dryRun plans and changes nothing', async () => {
    const sim = sixVmHost(steady);
    const events: TickEvent[] = [];
    await new BalloonController({ client: sim }).autopilot({ policy: budget, maxTicks: 5, dryRun: true, clock: virtualClock(sim), onTick: (e) => events.push(e) })._unsafeUnwrap().done;
    expect(events.every((e) => e.applied.length === 0)).toBe(true);
    expect(events[0]?.plan?.entries.some((e) => e.deltaMb !== 0)).toBe(true);
    expect(sim.calls.some((c) => c.method === 'setLiveBalloon')).toBe(false);
  });

  it('stop() ends a loop that is waiting: the wait ends by the stop, not by its time', async () => {
    const sim = sixVmHost(steady);
    // A clock whose wait never ends by itself: only the loop's own abort (from stop) can end it.
    let waiting: () => void = () => undefined;
    const entered = new Promise<void>((resolve) => (waiting = resolve));
    const clock: AutopilotClock = {
      now: () => sim.time,
      sleep: (_ms, signal) =>
        new Promise<boolean>((resolve) => {
          signal?.addEventListener('abort', () => { resolve(false); }, { once: true });
          waiting();
        }),
    };
    const h = new BalloonController({ client: sim }).autopilot({ policy: budget, intervalMs: 3_600_000, clock })._unsafeUnwrap();
    await entered;
    h.stop();
    expect(await h.done).toBe(1);
  });

  it('the caller\'s signal stops it too', async () => {
    const sim = sixVmHost(steady);
    const ac = new AbortController();
    const h = new BalloonController({ client: sim }).autopilot({ policy: budget, intervalMs: 3_600_000, signal: ac.signal })._unsafeUnwrap();
    setTimeout(() => {
      ac.abort();
    }, 50);
    expect(await h.done).toBe(1);
  });

  it('ticks never overlap', async () => {
    const sim = sixVmHost(steady);
    let active = 0;
    let most = 0;
    const slow = new Proxy(sim, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'listRunningVms' || typeof value !== 'function') return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        return (...args: unknown[]) => {
          active++;
          most = Math.max(most, active);
          return (value as (...a: unknown[]) => ReturnType<typeof sim.listRunningVms>).apply(target, args);
        };
      },
    });
    await new BalloonController({ client: slow })
      .autopilot({
        policy: budget,
        maxTicks: 20,
        intervalMs: 1,
        onTick: () => {
          active--;
        },
      })
      ._unsafeUnwrap().done;
    expect(most).toBe(1);
  });

  it.each([
    [{ policy: { kind: 'nope' } }, 'policy.kind'],
    [{ policy: budget, intervalMs: 0 }, 'options.intervalMs'],
    [{ policy: budget, maxTicks: -1 }, 'options.maxTicks'],
  ])('bad options %j are INVALID_ARGUMENT', (options, argument) => {
    const r = new BalloonController({ client: sixVmHost(steady) }).autopilot(options as never);
    expect(r._unsafeUnwrapErr()).toMatchObject({ code: 'INVALID_ARGUMENT', argument });
  });
});
