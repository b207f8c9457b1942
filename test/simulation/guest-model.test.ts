import { describe, expect, it } from 'vitest';
import { InMemoryVBoxManageClient, guestWorkload, seedFrom, virtualClock } from '../../src/index.js';
import { seededNoise } from '../../src/in-memory/simulation/random.js';

describe('seededNoise', () => {
  it('is deterministic, in [0, 1), and differs by seed and key', () => {
    const xs = Array.from({ length: 2000 }, (_, i) => seededNoise(7, i));
    expect(xs).toEqual(Array.from({ length: 2000 }, (_, i) => seededNoise(7, i)));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(1990);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.03);
    expect(seededNoise(8, 1)).not.toBe(seededNoise(7, 1));
    expect(seedFrom('web-1')).not.toBe(seedFrom('web-2'));
  });
});

describe('guestWorkload', () => {
  it('jitters every sample within ± jitterMb, the same at the same moment', () => {
    const w = guestWorkload({ baseUsedMb: 1000, jitterMb: 16, seed: 3 });
    const xs = Array.from({ length: 500 }, (_, i) => w(i * 10_000, i * 10_000));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(984);
    expect(Math.max(...xs)).toBeLessThanOrEqual(1016);
    expect(new Set(xs).size).toBeGreaterThan(20);
    expect(w(12_345, 0)).toBe(w(12_345, 0));
    expect(w(12_345, 0)).toBe(w(19_999, 0)); // one sample per 10 s
  });

  it('follows a wave, bursts now and then, and leaks with uptime', () => {
    const wave = guestWorkload({ baseUsedMb: 2000, jitterMb: 0, wave: { amplitudeMb: 500, periodMs: 4_000_000 } });
    expect(wave(1_000_000, 0)).toBe(2500);
    expect(wave(3_000_000, 0)).toBe(1500);
    const bursty = guestWorkload({ baseUsedMb: 1000, jitterMb: 0, bursts: { sizeMb: 800, durationMs: 60_000, everyMs: 600_000 }, seed: 9 });
    const samples = Array.from({ length: 600 }, (_, i) => bursty(i * 10_000, 0));
    const inBurst = samples.filter((x) => x > 1000);
    expect(inBurst.length).toBeGreaterThanOrEqual(50); // about 6 of every 60 samples
    expect(inBurst.length).toBeLessThanOrEqual(70);
    expect(Math.min(...inBurst)).toBeGreaterThanOrEqual(1400);
    expect(Math.max(...inBurst)).toBeLessThanOrEqual(1800);
    const leak = guestWorkload({ baseUsedMb: 1000, jitterMb: 0, leakMbPerHour: 600 });
    expect(leak(7_200_000, 3_600_000)).toBe(1600); // by uptime, not by clock
  });
});

describe('the in-memory host with the model', () => {
  const host = () => {
    const sim = new InMemoryVBoxManageClient({ balloonRateMbPerSec: 10, vms: [{ name: 'a', state: 'poweroff', memoryMb: 4096, statsDelayMs: 30_000 }] });
    sim.setWorkload('a', guestWorkload({ baseUsedMb: 1000, jitterMb: 0, leakMbPerHour: 3600 }));
    return sim;
  };

  it('reports no stats for the first ticks after a start, and the leak starts again at a restart', async () => {
    const sim = host();
    const clock = virtualClock(sim, [
      { atMs: 10_000, vm: 'a', action: 'start' },
      { atMs: 100_000, vm: 'a', action: 'poweroff' },
      { atMs: 110_000, vm: 'a', action: 'start' },
    ]);
    const free: (number | null)[] = [];
    for (let t = 0; t < 15; t++) {
      free.push(sim.guestState('a').running ? ((await sim.guestMemory(['a']))._unsafeUnwrap()[0]?.freeMb ?? null) : -1);
      await clock.sleep(10_000);
    }
    expect(free.slice(0, 5)).toEqual([-1, null, null, null, 4096 - 1030]);
    expect(free[9]).toBe(4096 - 1080);
    expect(free[10]).toBe(-1); // off
    expect(free.slice(11, 14)).toEqual([null, null, null]);
    expect(free[14]).toBe(4096 - 1030);
  });

  it('moves a balloon at a bounded rate, and inflates only into free memory; demand beyond is swapped', async () => {
    const sim = host();
    sim.powerOnVm('a');
    (await sim.setLiveBalloon('a', 3500)).isOk();
    sim.advanceTime(10_000);
    expect(sim.guestState('a').balloonMb).toBe(100);
    sim.advanceTime(600_000);
    const g = sim.guestState('a');
    // All the guest had free, not the 3500 MB asked (its leak has grown a little since, within the last seconds).
    expect(g.balloonMb).toBeLessThan(3500);
    expect(g.freeMb).toBe(0);
    expect(g.balloonMb - (4096 - g.demandMb)).toBeLessThanOrEqual(10);
    sim.advanceTime(600_000); // the leak grows past what the balloon leaves
    expect(sim.guestState('a')).toMatchObject({ freeMb: 0, swappedMb: sim.guestState('a').demandMb - (4096 - sim.guestState('a').balloonMb) });
    expect(sim.guestState('a').swappedMb).toBeGreaterThan(0);
  });
});
