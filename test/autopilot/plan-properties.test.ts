import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxBalloonMb, planBalloons, validatePolicy, type AutopilotPolicy, type BalloonSnapshot } from '../../src/index.js';

const snapshotArb: fc.Arbitrary<BalloonSnapshot> = fc
  .array(
    fc.record({
      memoryMb: fc.integer({ min: 256, max: 65_536 }),
      balloonFrac: fc.double({ min: 0, max: 1, noNaN: true }),
      freeFrac: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
      requestedMb: fc.integer({ min: 0, max: 70_000 }),
      limits: fc.option(
        fc.record({ minMb: fc.option(fc.integer({ min: 0, max: 8192 }), { nil: undefined }), maxBalloonMb: fc.option(fc.integer({ min: 0, max: 60_000 }), { nil: undefined }), shares: fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: undefined }), enabled: fc.option(fc.boolean(), { nil: undefined }) }, { requiredKeys: [] }),
        { nil: undefined },
      ),
    }),
    { maxLength: 12 },
  )
  .chain((vms) =>
    fc.record({ totalMb: fc.integer({ min: 1024, max: 1 << 20 }), freeMb: fc.integer({ min: 0, max: 1 << 20 }) }).map((host) => ({
      host,
      vms: vms.map((v, i) => {
        const balloonMb = Math.floor(Math.max(0, maxBalloonMb(v.memoryMb)) * v.balloonFrac);
        const free = v.freeFrac === null ? null : Math.floor((v.memoryMb - balloonMb) * v.freeFrac);
        const cleanLimits = v.limits === undefined ? undefined : Object.fromEntries(Object.entries(v.limits).filter(([, x]) => x !== undefined));
        return {
          name: `vm-${i}`,
          uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          memoryMb: v.memoryMb,
          balloonMb,
          requestedMb: v.requestedMb,
          guestFreeMb: free,
          guestTotalMb: free === null ? null : v.memoryMb,
          ...(cleanLimits === undefined ? {} : { limits: cleanLimits }),
        };
      }),
    })),
  );

const policyArb: fc.Arbitrary<AutopilotPolicy> = fc.oneof(
  fc.record({ kind: fc.constant('balloonctrl' as const), incrementMb: fc.integer({ min: 1, max: 2048 }), decrementMb: fc.integer({ min: 1, max: 2048 }), lowerLimitMb: fc.integer({ min: 0, max: 2048 }), maxBalloonMb: fc.integer({ min: 0, max: 65_536 }), safetyMarginMb: fc.integer({ min: 0, max: 4096 }) }, { requiredKeys: ['kind'] }),
  fc.record({ kind: fc.constant('budget' as const), budgetMb: fc.integer({ min: 0, max: 1 << 20 }), maxChangeMb: fc.integer({ min: 1, max: 4096 }), deadbandMb: fc.integer({ min: 0, max: 100 }), guestMinFreeMb: fc.integer({ min: 0, max: 2048 }) }, { requiredKeys: ['kind'] }),
);

describe('planBalloons invariants', () => {
  it('hold for any snapshot and policy', () => {
    fc.assert(
      fc.property(snapshotArb, policyArb, (snapshot, policy) => {
        expect(validatePolicy(policy).isOk()).toBe(true);
        const plan = planBalloons(snapshot, policy);
        expect(plan.entries.map((e) => e.vm)).toEqual(snapshot.vms.map((v) => v.name)); // an entry for every VM
        for (const [i, e] of plan.entries.entries()) {
          const v = snapshot.vms[i];
          if (v === undefined) throw new Error('missing vm');
          expect(e.fromMb).toBe(v.balloonMb);
          expect(e.deltaMb).toBe(e.toMb - e.fromMb);
          expect(e.reason.length).toBeGreaterThan(0);
          expect(Number.isInteger(e.toMb)).toBe(true);
          expect(e.toMb).toBeGreaterThanOrEqual(0); // never below 0
          if (e.deltaMb > 0) {
            expect(e.toMb).toBeLessThanOrEqual(maxBalloonMb(v.memoryMb)); // never past VirtualBox's limit
            if (policy.kind === 'budget' && v.limits?.maxBalloonMb !== undefined) expect(e.toMb).toBeLessThanOrEqual(v.limits.maxBalloonMb);
            expect(v.guestFreeMb).not.toBeNull(); // no change while stats are missing
            const floor = policy.kind === 'budget' ? (policy.guestMinFreeMb ?? 256) : (policy.lowerLimitMb ?? 128);
            expect((v.guestFreeMb ?? 0) - e.deltaMb).toBeGreaterThanOrEqual(floor); // never inflates a guest below its floor
            expect(v.limits?.enabled).not.toBe(false);
          }
          if (v.guestFreeMb === null && v.limits?.enabled !== false) expect(e.deltaMb).toBe(0);
        }
        expect(planBalloons(snapshot, policy)).toEqual(plan); // deterministic
      }),
      { numRuns: 400 },
    );
  });
});

describe('validatePolicy', () => {
  it.each([
    [{ kind: 'magic' }, /policy.kind/u],
    [{ kind: 'budget', maxChangeMb: -1 }, /policy.maxChangeMb/u],
    [{ kind: 'budget', budgetPercent: 0 }, /policy.budgetPercent/u],
    [{ kind: 'balloonctrl', incrementMb: 1.5 }, /policy.incrementMb/u],
    [null, /policy.kind/u],
  ])('refuses %j', (policy, message) => {
    const e = validatePolicy(policy)._unsafeUnwrapErr();
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toMatch(message);
  });
});

const budgetArb = fc.record(
  { budgetMb: fc.integer({ min: 0, max: 1 << 20 }), maxChangeMb: fc.integer({ min: 1, max: 4096 }), deadbandMb: fc.integer({ min: 0, max: 100 }), guestMinFreeMb: fc.integer({ min: 0, max: 2048 }), guestMinFreePercent: fc.integer({ min: 0, max: 30 }), bandMb: fc.integer({ min: 0, max: 8192 }) },
  { requiredKeys: [] },
);
// A deflation already asked for and in flight needs no new ask.
// Budgets near the fleet's backing, where the interesting decisions are, and some asked-for deflations in flight.
const nearArb = fc.tuple(snapshotArb, budgetArb, fc.integer({ min: -6000, max: 6000 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 })).map(([snapshot, policy, offset, asked]) => {
  const vms = snapshot.vms.map((v, i) => {
    const a = asked[i];
    return a === undefined || a > 0.5 ? v : { ...v, lastAskedMb: Math.floor(v.balloonMb * a * 2) };
  });
  // As the host-memory model counts it: a guest without statistics with all of its RAM, a deflation in flight as done.
  const committed = vms.reduce((s, v) => s + v.memoryMb - (v.guestFreeMb === null ? 0 : Math.min(v.balloonMb, v.lastAskedMb ?? v.balloonMb)), 0);
  return { snapshot: { ...snapshot, vms }, policy: { kind: 'budget' as const, ...policy, budgetMb: Math.max(0, committed + offset) }, committed };
});

// The snapshot of the next tick if the plan were achieved exactly and nothing else changed.
function applied(snapshot: BalloonSnapshot, plan: ReturnType<typeof planBalloons>): BalloonSnapshot {
  return {
    host: snapshot.host,
    vms: snapshot.vms.map((v, i) => {
      const d = plan.entries[i]?.deltaMb ?? 0;
      return d === 0 ? v : { ...v, balloonMb: v.balloonMb + d, lastAskedMb: v.balloonMb + d, guestFreeMb: v.guestFreeMb === null ? null : v.guestFreeMb - d };
    }),
  };
}

describe('budget policy properties', () => {
  it('no plan takes the backing over the budget through a deflation when it starts at or under it', () => {
    fc.assert(
      fc.property(nearArb, ({ snapshot, policy, committed }) => {
        const plan = planBalloons(snapshot, policy);
        // Beyond what is already committed: a deflation in flight is counted in `committed`.
        const deflated = plan.entries.reduce((s, e, i) => {
          const v = snapshot.vms[i];
          return s + (v === undefined ? 0 : Math.max(0, Math.min(v.balloonMb, v.lastAskedMb ?? v.balloonMb) - e.toMb));
        }, 0);
        if (committed <= policy.budgetMb) expect(committed + deflated).toBeLessThanOrEqual(policy.budgetMb);
      }),
      { numRuns: 500 },
    );
  });

  it('no plan pushes a guest under its floor or its minimum', () => {
    fc.assert(
      fc.property(nearArb, ({ snapshot, policy }) => {
        const plan = planBalloons(snapshot, policy);
        for (const [i, e] of plan.entries.entries()) {
          const v = snapshot.vms[i];
          if (v === undefined || e.deltaMb <= 0) continue;
          expect((v.guestFreeMb ?? 0) - e.deltaMb).toBeGreaterThanOrEqual(Math.max(policy.guestMinFreeMb ?? 256, Math.ceil((v.memoryMb * (policy.guestMinFreePercent ?? 10)) / 100)));
          expect(v.memoryMb - e.toMb).toBeGreaterThanOrEqual(v.limits?.minMb ?? 0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a guest under its floor is deflated in the same tick whenever the headroom allows it', () => {
    fc.assert(
      fc.property(nearArb, ({ snapshot, policy, committed }) => {
        const plan = planBalloons(snapshot, policy);
        const floor = policy.guestMinFreeMb ?? 256;
        const pressed = snapshot.vms.filter((v) => v.guestFreeMb !== null && v.guestFreeMb < floor && v.balloonMb > 0 && (v.lastAskedMb ?? v.balloonMb) >= v.balloonMb && v.limits?.enabled !== false && v.limits?.shares !== 0);
        if (pressed.length === 0 || committed + pressed.reduce((s, v) => s + v.balloonMb, 0) > policy.budgetMb) return;
        for (const v of pressed) expect(plan.entries[snapshot.vms.indexOf(v)]?.deltaMb).toBeLessThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('re-planning the snapshot with the plan applied asks for nothing (and never reverses a move)', () => {
    fc.assert(
      fc.property(nearArb, fc.boolean(), ({ snapshot, policy }, unlimited) => {
        const p = unlimited ? { ...policy, maxChangeMb: 1 << 22 } : policy;
        const first = planBalloons(snapshot, p);
        const again = planBalloons(applied(snapshot, first), p);
        for (const [i, e] of again.entries.entries()) {
          const before = first.entries[i]?.deltaMb ?? 0;
          if (before !== 0 && e.deltaMb !== 0) expect(Math.sign(e.deltaMb)).toBe(Math.sign(before)); // never a reversal
        }
        // Nothing was held back by the step limit or the headroom: the first plan was complete.
        const complete = unlimited && first.entries.every((e) => !/allows no more/u.test(e.reason));
        if (complete) expect(again.entries.filter((e) => e.deltaMb !== 0)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
