// Push-back, cool-down and stale statistics (src/autopilot/guest-watch.ts), tick by tick on hand-made snapshots.
import { describe, expect, it } from 'vitest';
import { COOL_DOWN_TICKS, MAX_COOL_DOWN_TICKS, STALE_STATS_MS, coolingDown, deflateBlind, rememberInflations, watchGuests, type GuestWatch } from '../../src/autopilot/guest-watch.js';
import { planBalloons } from '../../src/autopilot/plan-balloons.js';
import type { SnapshotVm } from '../../src/index.js';

const rules = { keepGuestFreeMb: 256, keepGuestFreePercent: 10 };
const vm = (over: Partial<SnapshotVm> = {}): SnapshotVm => ({ name: 'jvm', uuid: '00000000-0000-4000-8000-000000000001', memoryMb: 4096, balloonMb: 0, requestedMb: 0, guestFreeMb: 3000, guestTotalMb: 4096, ...over });

describe('guest watch', () => {
  it('a guest that takes back an inflation pushes back: deflated by what was taken, cooled down, not a donor', () => {
    const w: GuestWatch = new Map();
    watchGuests(w, [vm()], 1, 0, rules);
    // Tick 1 inflates by 500 MB: free 3000 -> 2500, use 1096.
    rememberInflations(w, [vm()], [{ vm: 'jvm', fromMb: 0, toMb: 500, deltaMb: 500, reason: '' }], 1);
    // Tick 2: the balloon is there and the use stays: no push-back.
    expect(watchGuests(w, [vm({ balloonMb: 500, guestFreeMb: 2500 })], 2, 10_000, rules).pushedBack).toEqual([]);
    // Tick 3: its use grew by 400 MB (80 % of the inflation): it pushes back.
    const r = watchGuests(w, [vm({ balloonMb: 500, guestFreeMb: 2100 })], 3, 20_000, rules);
    expect(r.pushedBack).toEqual(['jvm']);
    expect(r.vms[0]?.pushBack).toMatchObject({ deflateMb: 500 });
    expect(r.vms[0]?.pushBack?.reason).toMatch(/its use grew by 400 MB, within 2 tick\(s\) of its balloon growing by 500 MB; cooling down for 6 ticks/u);
    expect(coolingDown(w, 3).has(vm().uuid)).toBe(true);
    // The plan deflates it at once and the ledger counts it as giving nothing.
    const plan = planBalloons({ host: { totalMb: 16_384, freeMb: 4000 }, vms: r.vms }, { kind: 'budget', budgetMb: 1000 });
    expect(plan.entries[0]).toMatchObject({ toMb: 0, deltaMb: -500 });
    expect(plan.memory.vms[0]?.couldGiveMb).toBe(0);
    // Until the cool-down ends it is not inflated, with why; then it may be again.
    const later = watchGuests(w, [vm({ balloonMb: 0, guestFreeMb: 2600 })], 3 + COOL_DOWN_TICKS - 1, 0, rules);
    expect(later.vms[0]?.coolDown).toMatch(/cooling down for 6 ticks .*, 1 left/u);
    expect(watchGuests(w, [vm({ balloonMb: 0, guestFreeMb: 2600 })], 3 + COOL_DOWN_TICKS, 0, rules).vms[0]?.coolDown).toBeUndefined();
  });

  it('jitter is not a push-back, and the cool-down doubles on each repeat up to its cap', () => {
    const w: GuestWatch = new Map();
    watchGuests(w, [vm()], 1, 0, rules);
    rememberInflations(w, [vm()], [{ vm: 'jvm', fromMb: 0, toMb: 40, deltaMb: 40, reason: '' }], 1);
    expect(watchGuests(w, [vm({ balloonMb: 40, guestFreeMb: 2900 })], 2, 0, rules).pushedBack).toEqual([]); // 60 MB more use: noise
    const lengths: number[] = [];
    let tick = 10;
    for (let k = 0; k < 8; k++) {
      rememberInflations(w, [vm({ balloonMb: 0, guestFreeMb: 3000 })], [{ vm: 'jvm', fromMb: 0, toMb: 300, deltaMb: 300, reason: '' }], tick);
      watchGuests(w, [vm({ balloonMb: 300, guestFreeMb: 2300 })], tick + 1, 0, rules);
      lengths.push(w.get(vm().uuid)?.coolTicks ?? 0);
      tick += w.get(vm().uuid)?.coolTicks ?? 0; // the next push-back as the cool-down ends: a repeat
    }
    expect(lengths).toEqual([COOL_DOWN_TICKS, 12, 24, 48, 96, 192, MAX_COOL_DOWN_TICKS, MAX_COOL_DOWN_TICKS]);
  });

  it('a guest whose statistics stop for 60 s goes back to its default balloon, with why', () => {
    const w: GuestWatch = new Map();
    const seen = vm({ balloonMb: 800, lastAskedMb: 800, guestFreeMb: 1500 });
    watchGuests(w, [seen], 1, 0, rules);
    const blind = vm({ balloonMb: 0, lastAskedMb: 800, guestFreeMb: null });
    const plan = planBalloons({ host: { totalMb: 16_384, freeMb: 4000 }, vms: [blind] }, { kind: 'budget' });
    watchGuests(w, [blind], 2, STALE_STATS_MS - 1, rules);
    expect(deflateBlind(w, plan, [blind], STALE_STATS_MS - 1, new Map([[blind.uuid, 100]]))).toBe(plan);
    const after = deflateBlind(w, plan, [blind], STALE_STATS_MS, new Map([[blind.uuid, 100]]));
    expect(after.entries[0]).toMatchObject({ fromMb: 800, toMb: 100, deltaMb: -700 });
    expect(after.entries[0]?.reason).toMatch(/stopped arriving 60 s ago .* deflating to its default 100 MB rather than keep it ballooned blind/u);
  });
});
