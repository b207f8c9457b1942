import { describe, expect, it } from 'vitest';
import { planBalloons, type BudgetPolicy, type SnapshotVm } from '../../src/index.js';

const vm = (name: string, over: Partial<SnapshotVm> = {}): SnapshotVm => ({
  name,
  uuid: `00000000-0000-4000-8000-${name.padStart(12, '0')}`,
  memoryMb: 4096,
  balloonMb: 0,
  requestedMb: 0,
  guestFreeMb: 3000,
  guestTotalMb: 4096,
  ...over,
});
const host = { totalMb: 16384, freeMb: 4000 };
const run = (vms: SnapshotVm[], policy: Omit<BudgetPolicy, 'kind'>) => planBalloons({ host, vms }, { kind: 'budget', ...policy });

describe('budget policy', () => {
  it('over budget: inflates, most in the guests with the most free memory', () => {
    const p = run([vm('idle', { guestFreeMb: 3500 }), vm('busy', { guestFreeMb: 800 })], { budgetMb: 6000, maxChangeMb: 10_000 });
    const [idle, busy] = p.entries;
    expect(idle?.deltaMb).toBeGreaterThan(busy?.deltaMb ?? 0);
    expect(p.budget).toMatchObject({ budgetMb: 6000, backingBeforeMb: 8192 });
    expect(p.budget?.backingAfterMb).toBeLessThanOrEqual(6000);
    expect(idle?.reason).toMatch(/backing 8192 MB is 2192 MB over the budget 6000 MB/u);
  });

  it('under budget: deflates, first the guests under memory pressure', () => {
    const vms = [vm('pressed', { balloonMb: 2000, guestFreeMb: 50 }), vm('relaxed', { balloonMb: 2000, guestFreeMb: 1500 })];
    const p = run(vms, { budgetMb: 5000, maxChangeMb: 10_000 });
    const [pressed, relaxed] = p.entries;
    expect(pressed?.deltaMb).toBeLessThan(0);
    expect(pressed?.deltaMb).toBeLessThan(relaxed?.deltaMb ?? 0);
  });

  it('budgetPercent of host RAM by default (80%)', () => {
    expect(run([vm('a')], {}).budget?.budgetMb).toBe(13107);
    expect(run([vm('a')], { budgetPercent: 50 }).budget?.budgetMb).toBe(8192);
  });

  it('moves at most maxChangeMb per tick', () => {
    const p = run([vm('a', { guestFreeMb: 3500 })], { budgetMb: 1000 });
    expect(p.entries[0]?.deltaMb).toBe(100);
    expect(p.entries[0]?.reason).toMatch(/limited to 100 MB per tick/u);
  });

  it('makes no change smaller than the deadband', () => {
    const p = run([vm('a', { balloonMb: 0, guestFreeMb: 3000 })], { budgetMb: 4096 - 5, maxChangeMb: 1000 });
    expect(p.entries[0]).toMatchObject({ deltaMb: 0, reason: expect.stringMatching(/within the deadband 10 MB/u) as unknown });
  });

  it('never inflates a guest below its free floor, even when the budget wants it', () => {
    const p = run([vm('a', { guestFreeMb: 400 })], { budgetMb: 100, maxChangeMb: 10_000, guestMinFreeMb: 256 });
    expect(p.entries[0]?.deltaMb).toBe(144);
    expect(p.entries[0]?.reason).toMatch(/floors alone need/u);
  });

  it('respects minMb and a per-VM maximum', () => {
    const p = run([vm('a', { guestFreeMb: 3800, limits: { minMb: 3000 } }), vm('b', { guestFreeMb: 3800, limits: { maxBalloonMb: 500 } })], {
      budgetMb: 0,
      maxChangeMb: 10_000,
    });
    expect(p.entries[0]?.toMb).toBe(4096 - 3000);
    expect(p.entries[1]?.toMb).toBe(500);
  });

  it('shares weigh who keeps memory', () => {
    const p = run([vm('gold', { limits: { shares: 3000 } }), vm('bronze', { limits: { shares: 1000 } })], { budgetMb: 4000, maxChangeMb: 10_000, guestMinFreeMb: 0 });
    const [gold, bronze] = p.entries;
    expect(gold?.toMb).toBeLessThan(bronze?.toMb ?? 0);
  });

  it('leaves alone VMs without stats, disabled or with 0 shares, but counts their memory', () => {
    const p = run([vm('nostats', { guestFreeMb: null }), vm('off', { limits: { enabled: false } }), vm('zero', { limits: { shares: 0 } }), vm('a')], {
      budgetMb: 14_000,
      maxChangeMb: 10_000,
    });
    expect(p.entries.slice(0, 3).map((e) => e.deltaMb)).toEqual([0, 0, 0]);
    expect(p.entries[0]?.reason).toMatch(/not up yet/u);
    expect(p.entries[1]?.reason).toMatch(/disabled/u);
    expect(p.entries[2]?.reason).toMatch(/shares are 0/u);
    expect(p.entries[3]?.toMb).toBe(4096 * 4 - 14_000);
  });

  it('with room to spare, every balloon deflates to 0', () => {
    const p = run([vm('a', { balloonMb: 50 }), vm('b', { balloonMb: 30 })], { budgetMb: 100_000 });
    expect(p.entries.map((e) => e.toMb)).toEqual([0, 0]);
  });
});
