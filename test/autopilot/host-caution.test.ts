// The host's caution (src/autopilot/host-caution.ts) and what the watch learns across a VM's runs and in its first
// ticks (src/autopilot/guest-watch.ts), on hand-made snapshots.
import { describe, expect, it } from 'vitest';
import { CAUTION_TICKS, MAX_CAUTION_PERCENT, cautionMb, learnCaution, withCaution } from '../../src/autopilot/host-caution.js';
import { DIP_MB, SETTLE_TICKS, forgetGone, watchGuests, type GuestWatch } from '../../src/autopilot/guest-watch.js';
import { memoryLedger } from '../../src/host-memory/index.js';
import { planBalloons } from '../../src/autopilot/plan-balloons.js';
import type { SnapshotVm } from '../../src/index.js';

const rules = { keepGuestFreeMb: 256, keepGuestFreePercent: 10 };
const UUID = '00000000-0000-4000-8000-000000000001';
const vm = (over: Partial<SnapshotVm> = {}): SnapshotVm => ({ name: 'job', uuid: UUID, memoryMb: 4096, balloonMb: 0, requestedMb: 0, guestFreeMb: 3000, guestTotalMb: 4096, ...over });

describe('host caution', () => {
  it('a guest that runs out after its use rose makes every guest keep room for such a rise, as a share of its RAM, for an hour', () => {
    const w: GuestWatch = new Map();
    // Ballooned to 2000 MB, it uses 1096 MB for some ticks, then its use jumps and it has nothing free.
    for (let t = 1; t <= 4; t++) watchGuests(w, [vm({ balloonMb: 2000, guestFreeMb: 1000 })], t, t * 10_000, rules, t === 1);
    const out = watchGuests(w, [vm({ balloonMb: 2000, guestFreeMb: 0 })], 5, 50_000, rules);
    expect(out.pushedBack).toEqual(['job']);
    expect(out.rises).toEqual([{ vm: 'job', riseMb: 1000, memoryMb: 4096, short: true }]);
    // While it deflates with nothing free, the rise it shows grows.
    const next = watchGuests(w, [vm({ balloonMb: 1680, guestFreeMb: 0 })], 6, 60_000, rules);
    expect(next.rises[0]?.riseMb).toBe(1320);
    let c = learnCaution(null, out.rises, 5);
    c = learnCaution(c, next.rises, 6);
    expect(c).toMatchObject({ riseMb: 1320, vm: 'job', lastTick: 6 });
    // Another guest, twice the size, keeps twice as much; with why.
    const other = vm({ name: 'web', uuid: '00000000-0000-4000-8000-000000000002', memoryMb: 8192 });
    const [cautious] = withCaution(c, [other], 6);
    expect(cautious?.cautionMb).toBe(Math.ceil((1320 / 4096) * 8192));
    expect(cautious?.cautionWhy).toMatch(/^job ran out of memory after its use rose by 1320 MB: for 360 more ticks every guest keeps room for a rise of 32 % of its RAM \(2640 MB here\)$/u);
    // The ledger counts it as that guest's reserve, so it gives only what lies above it.
    const ledger = memoryLedger({ host: { totalMb: 65_536, freeMb: 1000 }, vms: [{ name: 'web', uuid: other.uuid, state: 'running', memoryMb: 8192, requestedMb: 0, balloonMb: 0, guestFreeMb: 5000, largePages: false, cautionMb: cautious?.cautionMb ?? 0, cautionWhy: cautious?.cautionWhy ?? '' }] });
    expect(ledger.vms[0]?.reserveMb).toBe(2640);
    expect(ledger.vms[0]?.couldGiveMb).toBe(5000 - 2640);
    expect(ledger.vms[0]?.giveWhy).toMatch(/keeps 2640 MB \(job ran out of memory/u);
    // It ends an hour after the last run-out, and never asks for more than half of a guest's RAM.
    expect(learnCaution(c, [], 6 + CAUTION_TICKS)).not.toBeNull();
    expect(learnCaution(c, [], 7 + CAUTION_TICKS)).toBeNull();
    expect(cautionMb({ share: 0.9, riseMb: 3700, vm: 'job', lastTick: 1 }, 4096)).toBe(Math.ceil((MAX_CAUTION_PERCENT / 100) * 4096));
  });

  it('a guest that only takes back an inflation (a JVM heap) teaches the host nothing', () => {
    const w: GuestWatch = new Map();
    watchGuests(w, [vm()], 1, 0, rules, true);
    const out = watchGuests(w, [vm({ balloonMb: 500, guestFreeMb: 2100 })], 2, 10_000, rules);
    expect(out.rises).toEqual([]);
    expect(learnCaution(null, out.rises, 2)).toBeNull();
  });

  it('a dip under the reserve smaller than the jitter allowance is not a push-back; a larger one is', () => {
    const w: GuestWatch = new Map();
    const floor = 410; // 10 % of 4096
    watchGuests(w, [vm({ balloonMb: 2000, guestFreeMb: floor + 100 })], 1, 0, rules, true);
    expect(watchGuests(w, [vm({ balloonMb: 2000, guestFreeMb: floor - DIP_MB + 1 })], 2, 10_000, rules).pushedBack).toEqual([]);
    expect(watchGuests(w, [vm({ balloonMb: 2000, guestFreeMb: floor - DIP_MB - 1 })], 3, 20_000, rules).pushedBack).toEqual(['job']);
  });
});

describe('a VM the autopilot sees start', () => {
  it('gives nothing to make room or reclaim in its first ticks, with why; one running before the autopilot does', () => {
    const w: GuestWatch = new Map();
    const before = vm({ name: 'old', uuid: '00000000-0000-4000-8000-000000000003' });
    expect(watchGuests(w, [before], 1, 0, rules, true).vms[0]?.settling).toBeUndefined();
    const fresh = watchGuests(w, [before, vm()], 2, 10_000, rules).vms[1];
    expect(fresh?.settling).toMatch(/^it started 0 tick\(s\) ago: a VM that just started gives nothing to make room or reclaim for its first 30 ticks/u);
    expect(fresh?.coolDown).toBeUndefined(); // the autopilot's own small steps are still allowed
    expect(watchGuests(w, [before, vm()], 2 + SETTLE_TICKS - 1, 0, rules).vms[1]?.settling).toBeDefined();
    expect(watchGuests(w, [before, vm()], 2 + SETTLE_TICKS, 0, rules).vms[1]?.settling).toBeUndefined();
  });

  it('started again within the hour: it counts as needing the most it used in its earlier runs, and is not held back as new', () => {
    const w: GuestWatch = new Map();
    watchGuests(w, [], 1, 0, rules, true);
    watchGuests(w, [vm({ guestFreeMb: 3000 })], 2, 0, rules); // uses 1096 MB
    watchGuests(w, [vm({ guestFreeMb: 1500 })], 3, 0, rules); // a job: uses 2596 MB
    forgetGone(w, new Set(), 4); // powered off
    const again = watchGuests(w, [vm({ guestFreeMb: 3000 })], 5, 0, rules).vms[0];
    expect(again?.peakUsedMb).toBe(2596);
    expect(again?.settling).toBeUndefined();
    // The ledger gives from what it would have free at that use: 4096 - 2596 = 1500 MB, minus its 410 MB reserve.
    const ledger = memoryLedger({ host: { totalMb: 16_384, freeMb: 1000 }, vms: [{ name: 'job', uuid: UUID, state: 'running', memoryMb: 4096, requestedMb: 0, balloonMb: 0, guestFreeMb: 3000, largePages: false, peakUsedMb: again?.peakUsedMb ?? 0 }] });
    expect(ledger.vms[0]?.couldGiveMb).toBe(1500 - 410);
    expect(ledger.vms[0]?.giveWhy).toMatch(/used as much as 2596 MB lately \(after pushing back, or in an earlier run\), which would leave it 1500 MB free/u);
    // Stopped for longer than the longest cool-down: forgotten.
    forgetGone(w, new Set(), 6);
    forgetGone(w, new Set(), 6 + 361);
    expect(w.has(UUID)).toBe(false);
  });
});

describe('the VBoxBalloonCtrl policy', () => {
  it('inflates a guest remembered at its peak use only into what it would have free at that use', () => {
    // 3000 MB free now, but it used 3300 MB lately: at that use it would have 796 MB free, 410 MB of them its reserve.
    const v = vm({ guestFreeMb: 3000, guestFreeMinMb: 3000, requestedMb: 3000, peakUsedMb: 3300 });
    const plan = planBalloons({ host: { totalMb: 65_536, freeMb: 40_000 }, vms: [v] }, { kind: 'balloonctrl', incrementMb: 1024 });
    const e = plan.entries[0];
    expect(e?.deltaMb).toBeGreaterThan(0);
    expect(796 - (e?.deltaMb ?? 0)).toBeGreaterThanOrEqual(410);
  });
});
