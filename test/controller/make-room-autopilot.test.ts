// startWithRoom and the autopilot on one controller: the budget policy keeps the start's memory off its budget while
// the VM starts, so it does not deflate the balloons that make its room; the in-memory host's time follows real time.
import { describe, expect, it } from 'vitest';
import { BalloonController, InMemoryVBoxManageClient, type PlanEntry, type TickEvent } from '../../src/index.js';

describe('startWithRoom with the autopilot running on the same controller', () => {
  it('the autopilot does not deflate the room while the VM starts, and sees the VM afterwards', async () => {
    const sim = new InMemoryVBoxManageClient({
      host: { memoryMb: 16_384, baseUsedMb: 2048 },
      balloonRateMbPerSec: 2000, // the room takes about 2 s of simulated time to inflate
      vms: [
        { name: 'a', state: 'running', memoryMb: 4096, usedMb: 512 },
        { name: 'b', state: 'running', memoryMb: 4096, usedMb: 1024 },
        { name: 'tight', state: 'running', memoryMb: 4096, usedMb: 3500 },
        { name: 'big', state: 'poweroff', memoryMb: 4096 },
      ],
    });
    const clock = setInterval(() => sim.advanceTime(100), 10);
    const ticks: TickEvent[] = [];
    let window: 'before' | 'during' | 'after' = 'before';
    const deflatedDuring: PlanEntry[] = [];
    const vbox = new BalloonController({
      client: sim,
      onEvent: (e) => {
        if (e.type !== 'tick') return;
        ticks.push(e.tick);
        if (window === 'during') deflatedDuring.push(...e.tick.applied.filter((p) => p.deltaMb < 0));
      },
    });
    try {
      await vbox.inspectAll();
      const pilot = vbox.autopilot({ policy: { kind: 'budget', budgetPercent: 80 }, intervalMs: 15 })._unsafeUnwrap();
      while (ticks.length < 3) await new Promise((r) => setTimeout(r, 10));
      window = 'during';
      const seenBefore = ticks.length;
      const started = await vbox.startWithRoom('big', { pollMs: 20, waitTimeoutMs: 20_000 });
      window = 'after';
      const during = ticks.length - seenBefore;
      const after = ticks.length;
      while (ticks.length < after + 3) await new Promise((r) => setTimeout(r, 10));
      pilot.stop();
      await pilot.done;
      expect(started._unsafeUnwrap()).toMatchObject({ started: true, state: 'running' });
      expect(during).toBeGreaterThanOrEqual(3); // the autopilot ticked while the room was being made
      expect(deflatedDuring).toEqual([]);
      // The balloons making the room were left alone, and said so.
      const held = ticks.slice(seenBefore, seenBefore + during).flatMap((t) => t.plan?.entries ?? []).filter((p) => p.vm === 'a');
      expect(held.some((p) => /makes room for a VM being started/u.test(p.reason))).toBe(true);
      expect(held.filter((p) => /makes room/u.test(p.reason)).every((p) => p.deltaMb === 0)).toBe(true);
      // Once big runs, the autopilot counts it as a running guest.
      expect(ticks.at(-1)?.snapshot?.vms.map((v) => v.name)).toContain('big');
    } finally {
      clearInterval(clock);
    }
  });
});
