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

describe('budget water-filling', () => {
  it('lands on the budget when it is feasible and nothing else limits the step', () => {
    const vmArb = fc.record({ memoryMb: fc.integer({ min: 512, max: 16_384 }), usedFrac: fc.double({ min: 0, max: 0.8, noNaN: true }), balloonFrac: fc.double({ min: 0, max: 0.8, noNaN: true }), shares: fc.integer({ min: 1, max: 5000 }) });
    fc.assert(
      fc.property(fc.array(vmArb, { minLength: 1, maxLength: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), (specs, where) => {
        const vms = specs.map((s, i) => {
          const balloonMb = Math.floor(maxBalloonMb(s.memoryMb) * s.balloonFrac * 0.5);
          const used = Math.floor((s.memoryMb - balloonMb) * s.usedFrac);
          return { name: `v${i}`, uuid: `u${i}`, memoryMb: s.memoryMb, balloonMb, requestedMb: 0, guestFreeMb: s.memoryMb - balloonMb - used, guestTotalMb: s.memoryMb, limits: { shares: s.shares } };
        });
        const floors = vms.reduce((sum, v) => sum + Math.min(v.memoryMb, Math.max(v.memoryMb - maxBalloonMb(v.memoryMb), v.memoryMb - v.balloonMb - v.guestFreeMb)), 0);
        const total = vms.reduce((sum, v) => sum + v.memoryMb, 0);
        const budgetMb = Math.floor(floors + (total - floors) * where);
        const plan = planBalloons({ host: { totalMb: total, freeMb: 0 }, vms }, { kind: 'budget', budgetMb, maxChangeMb: 1 << 20, deadbandMb: 0, guestMinFreeMb: 0 });
        expect(Math.abs((plan.budget?.backingAfterMb ?? 0) - budgetMb)).toBeLessThanOrEqual(vms.length);
      }),
      { numRuns: 300 },
    );
  });
});
