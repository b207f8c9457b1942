// The autopilot as one of the controller's callers: its events, one at a time, listener bugs and interrupted changes.
import { describe, expect, it } from 'vitest';
import { BalloonController, InMemoryVBoxManageClient, type AutopilotClock, type BalloonEvent, type TickEvent } from '../../src/index.js';

function host(): InMemoryVBoxManageClient {
  return new InMemoryVBoxManageClient({
    host: { memoryMb: 16384 },
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
    expect(commands).toContain('metrics query * Guest/RAM/Usage/Total,Guest/RAM/Usage/Free,Guest/RAM/Usage/Balloon,Guest/RAM/Usage/Cache,Guest/RAM/Usage/Shared');
    const changes = events.flatMap((e) => (e.type === 'change' ? [e.change] : []));
    expect(changes.length).toBeGreaterThan(0);
    // Acted on by UUID, named for people.
    expect(changes[0]).toMatchObject({ vm: 'a', uuid: '00000000-0000-4000-8000-000000000001', kind: 'live' });
    expect(changes[0]?.commands[0]?.[1]).toBe('00000000-0000-4000-8000-000000000001');
    expect(events.filter((e) => e.type === 'tick')).toHaveLength(2);
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
