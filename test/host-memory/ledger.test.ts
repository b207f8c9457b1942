import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { budgetOf, chooseDonors, ledgerVms, memoryLedger, type MemorySnapshotVm } from '../../src/host-memory/index.js';
import { VM_STATES, maxBalloonMb, type VmState } from '../../src/index.js';

const uuid = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const vm = (name: string, i: number, over: Partial<MemorySnapshotVm> = {}): MemorySnapshotVm => ({
  name,
  uuid: uuid(i),
  state: 'running',
  memoryMb: 4096,
  requestedMb: 0,
  balloonMb: 0,
  guestFreeMb: 2000,
  largePages: false,
  additionsRunLevel: 2,
  ...over,
});

// The model written out again, by hand: the ledger must equal this plain sum for any fleet.
const OFF: readonly string[] = ['poweroff', 'saved', 'aborted-saved', 'teleported', 'aborted', 'restoringsnapshot', 'deletingsnapshot', 'settingup', 'snapshotting'];
export function plainBacking(v: MemorySnapshotVm, hostCanBalloon = true): number {
  if (OFF.includes(v.state)) return 0;
  if (v.state !== 'running' && v.state !== 'paused') return v.memoryMb; // starting, stuck, saving, unknown...
  const level = v.additionsRunLevel;
  const additionsDown = level !== undefined && (level === null || level < 2);
  if (!hostCanBalloon || v.largePages === true || additionsDown || v.balloonMb === null || v.guestFreeMb === null) return v.memoryMb;
  let counted = Math.min(v.balloonMb, v.requestedMb ?? v.balloonMb);
  if (v.heldMb !== undefined) counted = Math.max(v.balloonMb, v.heldMb);
  return v.memoryMb - Math.min(counted, v.memoryMb);
}

describe('memory ledger', () => {
  it('issue 18: a VM that cannot balloon counts with all of its RAM (one figure: 26768 MB over a 26214 MB budget)', () => {
    const ledger = memoryLedger(
      {
        host: { totalMb: 32_768, freeMb: 4000 },
        vms: [vm('web-1', 1, { memoryMb: 16_384, requestedMb: 6000, balloonMb: 6000, guestFreeMb: 3000 }), vm('db-1', 2, { memoryMb: 16_384, largePages: true })],
      },
      { budgetPercent: 80 },
    );
    expect(ledger).toMatchObject({ budgetMb: 26_214, backingMb: 26_768, headroomMb: 0, overBudgetMb: 554, reservedMb: 0 });
    expect(ledger.vms[1]).toMatchObject({ rule: 'all-ram', backingMb: 16_384, couldGiveMb: 0, canBalloon: false, giveWhy: 'large pages are on' });
    expect(ledger.vms[1]?.backingWhy).toBe('large pages are on: it cannot balloon, so all of its RAM (16384 MB) counts');
  });

  it('counts every state as docs/concepts.md says, with a reason in words', () => {
    const vms = VM_STATES.map((state, i) => vm(`vm-${state}`, i, { state, balloonMb: 1000, requestedMb: 1000 }));
    const ledger = memoryLedger({ host: { totalMb: 1 << 20, freeMb: 0 }, vms });
    for (const [i, state] of VM_STATES.entries()) {
      const entry = ledger.vms[i];
      const expected = OFF.includes(state) ? 0 : state === 'running' || state === 'paused' ? 3096 : 4096;
      expect([state, entry?.backingMb]).toEqual([state, expected]);
      expect(entry?.backingWhy.length).toBeGreaterThan(10);
    }
    expect(ledger.vms.find((v) => v.state === 'gurumeditation')?.backingWhy).toMatch(/Guru Meditation.*may hold all of its RAM \(4096 MB\)/u);
    expect(ledger.vms.find((v) => v.state === 'poweroff')?.backingWhy).toBe('it is powered off: no VM process holds memory for it');
    // Only a running guest can give; a paused one keeps its balloon but cannot inflate it.
    expect(ledger.vms.filter((v) => v.couldGiveMb > 0).map((v) => v.state)).toEqual(['running']);
    expect(ledger.vms.find((v) => v.state === 'paused')).toMatchObject({ rule: 'ram-minus-balloon', couldGiveMb: 0, giveWhy: 'it is paused' });
  });

  it('a guest without Guest Additions, without statistics, or on a host that cannot balloon counts in full', () => {
    const vms = [vm('bare', 1, { additionsRunLevel: null, balloonMb: null, guestFreeMb: null }), vm('quiet', 2, { balloonMb: null, guestFreeMb: null }), vm('level1', 3, { additionsRunLevel: 1, balloonMb: 500 })];
    const l = memoryLedger({ host: { totalMb: 16_384, freeMb: 0 }, vms });
    expect(l.vms.map((v) => [v.backingMb, v.giveWhy])).toEqual([
      [4096, 'its Guest Additions are not running'],
      [4096, 'the guest has not reported its memory yet'],
      [4096, 'its Guest Additions are not running'],
    ]);
    const mac = memoryLedger({ host: { totalMb: 16_384, freeMb: 0, cannotBalloon: 'macOS' }, vms: [vm('a', 1, { balloonMb: 0 })] });
    expect(mac.vms[0]).toMatchObject({ backingMb: 4096, giveWhy: 'the host cannot balloon' });
  });

  it('counts a deflation under way as done and a balloon held for a start as reached', () => {
    const l = memoryLedger({
      host: { totalMb: 16_384, freeMb: 0 },
      vms: [vm('deflating', 1, { balloonMb: 2000, requestedMb: 500 }), vm('inflating', 2, { balloonMb: 500, requestedMb: 2000 }), vm('held', 3, { balloonMb: 500, requestedMb: 1500, heldMb: 1500 })],
    });
    expect(l.vms.map((v) => v.backingMb)).toEqual([4096 - 500, 4096 - 500, 4096 - 1500]);
    expect(l.vms[0]?.backingWhy).toMatch(/deflation to 500 MB is under way/u);
    expect(l.vms[2]).toMatchObject({ couldGiveMb: 0, giveWhy: 'its balloon (1500 MB) makes room for a VM being started' });
  });

  it('keeps a start in flight off the headroom until its VM holds memory itself', () => {
    const vms = [vm('a', 1), vm('next', 2, { state: 'poweroff', balloonMb: null, guestFreeMb: null })];
    const pending = { host: { totalMb: 16_384, freeMb: 0 }, vms, starting: [{ uuid: uuid(2), needMb: 2176 }] };
    expect(memoryLedger(pending, { budgetMb: 8000 })).toMatchObject({ backingMb: 4096, reservedMb: 2176, headroomMb: 8000 - 4096 - 2176 });
    const starting = { ...pending, vms: [vms[0] as MemorySnapshotVm, { ...(vms[1] as MemorySnapshotVm), state: 'starting' as VmState }] };
    expect(memoryLedger(starting, { budgetMb: 8000 })).toMatchObject({ backingMb: 8192, reservedMb: 0, headroomMb: 0, overBudgetMb: 192, starting: [] });
  });

  it('what a VM could give: its free memory above what it keeps, within VirtualBox\'s limit and its own', () => {
    const vms = [
      vm('free', 1, { guestFreeMb: 3000 }),
      vm('capped', 2, { guestFreeMb: 3000, limits: { maxBalloonMb: 1000 }, balloonMb: 200 }),
      vm('min', 3, { guestFreeMb: 3000, limits: { minMb: 3596 } }),
      vm('full', 4, { balloonMb: maxBalloonMb(4096), requestedMb: maxBalloonMb(4096), guestFreeMb: 300 }),
      vm('tight', 5, { guestFreeMb: 200 }),
      vm('off-limits', 6, { limits: { enabled: false } }),
    ];
    const l = memoryLedger({ host: { totalMb: 1 << 16, freeMb: 0 }, vms }, { keepGuestFreeMb: 256, keepGuestFreePercent: 0 });
    expect(l.vms.map((v) => [v.vm, v.couldGiveMb, v.giveWhy])).toEqual([
      ['free', 2744, 'it has 3000 MB free and keeps 256 MB'],
      ['capped', 800, 'its balloon (200 MB) may grow to 1000 MB'],
      ['min', 500, 'its balloon (0 MB) may grow to 500 MB'],
      ['full', 0, 'its balloon (3685 MB) is at the most VirtualBox allows'],
      ['tight', 0, 'it has 200 MB free and keeps 256 MB'],
      ['off-limits', 0, 'ballooning is disabled for this VM'],
    ]);
    expect(l.couldGiveMb).toBe(2744 + 800 + 500);
  });

  it('the budget: budgetMb, else budgetPercent (default 80) of host RAM; noise is read as 0', () => {
    expect(budgetOf(32_768)).toBe(26_214);
    expect(budgetOf(32_768, { budgetPercent: 50 })).toBe(16_384);
    expect(budgetOf(32_768, { budgetMb: 1000, budgetPercent: 50 })).toBe(1000);
    expect(budgetOf(Number.NaN)).toBe(0);
    const l = memoryLedger({ host: { totalMb: 8192, freeMb: 0 }, vms: [vm('nan', 1, { memoryMb: Number.NaN, balloonMb: Number.NaN })] });
    expect(l.backingMb).toBe(0);
  });

  it('equals the plain sum for random fleets in every state, with large pages, missing statistics, limits and holds', () => {
    const vmArb = fc.record({
      state: fc.constantFrom(...VM_STATES),
      memoryMb: fc.integer({ min: 0, max: 65_536 }),
      balloonMb: fc.option(fc.integer({ min: 0, max: 70_000 }), { nil: null }),
      requestedMb: fc.option(fc.integer({ min: 0, max: 70_000 }), { nil: null }),
      guestFreeMb: fc.option(fc.integer({ min: 0, max: 65_536 }), { nil: null }),
      largePages: fc.constantFrom(true, false, null),
      additionsRunLevel: fc.constantFrom(undefined, null, 0, 1, 2, 3),
      heldMb: fc.option(fc.integer({ min: 0, max: 70_000 }), { nil: undefined }),
      limits: fc.option(fc.record({ minMb: fc.integer({ min: 0, max: 8192 }), maxBalloonMb: fc.integer({ min: 0, max: 60_000 }), enabled: fc.boolean() }, { requiredKeys: [] }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(vmArb, { maxLength: 20 }), fc.integer({ min: 0, max: 1 << 20 }), fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 3 }), fc.boolean(), (raw, totalMb, starts, hostCan) => {
        const vms = raw.map((r, i): MemorySnapshotVm => {
          const { additionsRunLevel, heldMb, limits, ...rest } = r;
          return { name: `vm-${i}`, uuid: uuid(i), ...rest, ...(additionsRunLevel === undefined ? {} : { additionsRunLevel }), ...(heldMb === undefined ? {} : { heldMb }), ...(limits === undefined ? {} : { limits }) };
        });
        const starting = starts.map((i) => ({ uuid: uuid(i), needMb: 1000 + i }));
        const l = memoryLedger({ host: { totalMb, freeMb: 0, cannotBalloon: hostCan ? null : 'no' }, vms, starting }, {});
        const backing = vms.reduce((sum, v) => sum + plainBacking(v, hostCan), 0);
        const holding = (id: string): boolean => vms.some((v) => v.uuid === id && !OFF.includes(v.state));
        const reserved = starting.filter((s) => !holding(s.uuid)).reduce((sum, s) => sum + s.needMb, 0);
        const budget = Math.floor((totalMb * 80) / 100);
        expect(l.backingMb).toBe(backing);
        expect(l.reservedMb).toBe(reserved);
        expect(l.budgetMb).toBe(budget);
        expect(l.headroomMb).toBe(Math.max(0, budget - backing - reserved));
        expect(l.overBudgetMb).toBe(Math.max(0, backing + reserved - budget));
        for (const [i, e] of l.vms.entries()) {
          const v = vms[i] as MemorySnapshotVm;
          expect(e.couldGiveMb).toBeGreaterThanOrEqual(0);
          if (e.couldGiveMb > 0) {
            // Never past VirtualBox's limit or the VM's own, never into the free memory it keeps.
            expect((v.balloonMb ?? 0) + e.couldGiveMb).toBeLessThanOrEqual(maxBalloonMb(v.memoryMb));
            expect((v.balloonMb ?? 0) + e.couldGiveMb).toBeLessThanOrEqual(v.limits?.maxBalloonMb ?? Infinity);
            expect((v.balloonMb ?? 0) + e.couldGiveMb).toBeLessThanOrEqual(v.memoryMb - (v.limits?.minMb ?? 0));
            expect(e.couldGiveMb).toBeLessThanOrEqual((v.guestFreeMb ?? 0) - 256);
            expect(v.state).toBe('running');
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('donor choice', () => {
  const keep = { mb: 256, percent: 0 };
  const l = (vms: MemorySnapshotVm[]) => ledgerVms(vms, keep);

  it('takes from the most free guests first, ties broken by UUID, and leaves out the rest with why', () => {
    const vms = l([vm('b', 2, { guestFreeMb: 1256 }), vm('a', 1, { guestFreeMb: 1256 }), vm('most', 3, { guestFreeMb: 3256 }), vm('off', 4, { state: 'poweroff' }), vm('lp', 5, { largePages: true }), vm('tight', 6, { guestFreeMb: 100 })]);
    const plan = chooseDonors(vms, 3500, keep)._unsafeUnwrap();
    expect(plan.entries.map((e) => [e.vm, e.fromMb, e.toMb, e.takeMb])).toEqual([
      ['most', 0, 3000, 3000],
      ['a', 0, 500, 500],
    ]);
    expect(plan.leftOut).toEqual([
      { vm: 'off', reason: 'it is powered off' },
      { vm: 'lp', reason: 'large pages are on' },
      { vm: 'tight', reason: 'it has 100 MB free and keeps 256 MB' },
    ]);
  });

  it('says how much could be had when it is not enough', () => {
    const vms = l([vm('a', 1, { guestFreeMb: 1256 }), vm('off', 2, { state: 'saved' })]);
    const shortfall = chooseDonors(vms, 5000, keep)._unsafeUnwrapErr();
    expect(shortfall).toMatchObject({ code: 'RECLAIM_SHORTFALL', reclaimableMb: 1000, leftOut: [{ vm: 'off', reason: 'it is saved' }] });
  });
});

describe('the reserve a guest keeps, the window and the cool-down (issue 23)', () => {
  const rules = (over = {}) => memoryLedger({ host: { totalMb: 65_536, freeMb: 0 }, vms: [vm('big', 1, { memoryMb: 16_384, guestFreeMb: 8000 }), vm('small', 2, { memoryMb: 1024, guestFreeMb: 800 })] }, over);

  it('keeps the larger of keepGuestFreeMb and a percentage of the guest RAM (default 10 %), per VM', () => {
    const l = rules();
    expect(l.keepGuestFreePercent).toBe(10);
    expect(l.vms.map((v) => [v.vm, v.reserveMb, v.couldGiveMb])).toEqual([
      ['big', 1639, 8000 - 1639],
      ['small', 256, 800 - 256],
    ]);
    expect(l.vms[0]?.giveWhy).toBe('it has 8000 MB free and keeps 1639 MB');
    expect(rules({ keepGuestFreePercent: 0 }).vms.map((v) => v.reserveMb)).toEqual([256, 256]);
    expect(rules({ keepGuestFreePercent: 50, keepGuestFreeMb: 600 }).vms.map((v) => v.reserveMb)).toEqual([8192, 600]);
  });

  it('a VM\'s own limits replace the rules: keepFreeMb and keepFreePercent', () => {
    const l = memoryLedger({ host: { totalMb: 65_536, freeMb: 0 }, vms: [vm('db', 1, { memoryMb: 8192, guestFreeMb: 6000, limits: { keepFreePercent: 25 } }), vm('ci', 2, { memoryMb: 8192, guestFreeMb: 6000, limits: { keepFreeMb: 3000, keepFreePercent: 0 } })] });
    expect(l.vms.map((v) => [v.reserveMb, v.couldGiveMb])).toEqual([
      [2048, 6000 - 2048],
      [3000, 3000],
    ]);
  });

  it('gives from the least free memory over the window, not from the latest sample', () => {
    const l = memoryLedger({ host: { totalMb: 65_536, freeMb: 0 }, vms: [vm('dip', 1, { guestFreeMb: 2000, guestFreeMinMb: 900 })] }, { keepGuestFreePercent: 0 });
    expect(l.vms[0]).toMatchObject({ guestFreeMb: 2000, guestFreeMinMb: 900, couldGiveMb: 900 - 256, giveWhy: 'it had as little as 900 MB free in the last samples (2000 MB now) and keeps 256 MB' });
    // A window's least above the latest sample counts as the latest.
    expect(memoryLedger({ host: { totalMb: 65_536, freeMb: 0 }, vms: [vm('odd', 1, { guestFreeMb: 500, guestFreeMinMb: 3000 })] }, { keepGuestFreePercent: 0 }).vms[0]).toMatchObject({ guestFreeMinMb: 500, couldGiveMb: 244 });
  });

  it('a guest cooling down gives nothing, with why, and is not a donor', () => {
    const why = 'it pushed back after its balloon grew; cooling down for 6 ticks';
    const vms = ledgerVms([vm('calm', 1, { guestFreeMb: 1500 }), vm('hot', 2, { guestFreeMb: 3000, coolDown: why })], { mb: 256, percent: 0 });
    expect(vms[1]).toMatchObject({ couldGiveMb: 0, giveWhy: why, canBalloon: true });
    const plan = chooseDonors(vms, 1000, { mb: 256, percent: 0 })._unsafeUnwrap();
    expect(plan.entries.map((e) => e.vm)).toEqual(['calm']);
    expect(plan.leftOut).toEqual([{ vm: 'hot', reason: why }]);
    expect(chooseDonors(vms, 2000, { mb: 256, percent: 10 })._unsafeUnwrapErr().message).toMatch(/keeps 256 MB \(or 10 % of its RAM, if more\) free/u);
  });
});
