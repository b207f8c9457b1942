// VBoxBalloonCtrl's balloonGetDelta, worked out by hand from VBoxModBallooning.cpp with the default options
// (increment 256, decrement 128, lower limit 128, no maximum, safety margin 1024).
import { describe, expect, it } from 'vitest';
import { planBalloons, type BalloonSnapshot, type SnapshotVm } from '../../src/index.js';

const vm = (over: Partial<SnapshotVm>): SnapshotVm => ({
  name: 'vm',
  uuid: '00000000-0000-4000-8000-000000000001',
  memoryMb: 8192,
  balloonMb: 0,
  requestedMb: 4000,
  guestFreeMb: 2000,
  guestTotalMb: 8192,
  ...over,
});
const plan = (v: Partial<SnapshotVm>, hostFreeMb = 8000, policy: Record<string, number> = {}) => {
  const snapshot: BalloonSnapshot = { host: { totalMb: 16384, freeMb: hostFreeMb }, vms: [vm(v)] };
  const entry = planBalloons(snapshot, { kind: 'balloonctrl', guestMinFreePercent: 0, ...policy }).entries[0];
  if (entry === undefined) throw new Error('no entry');
  return entry;
};

describe('balloonctrl policy', () => {
  it.each<[string, Partial<SnapshotVm>, number]>([
    ['plenty free: full increment', { guestFreeMb: 2000 }, 256],
    ['free 300: 256 would leave 44, halve to 128', { guestFreeMb: 300 }, 128],
    ['free 200: halve to 64 (136 left)', { guestFreeMb: 200 }, 64],
    ['free 140: halve down to 8 (132 left)', { guestFreeMb: 140 }, 8],
    ['free 130: even 8 would leave 122, no inflate', { guestFreeMb: 130 }, 0],
    ['free 384: 256 leaves exactly 128, so no halving and no inflate (the test is strictly greater)', { guestFreeMb: 384 }, 0],
    ['near the request: the step shrinks to what is left', { balloonMb: 3900, requestedMb: 4000 }, 100],
    ['at the request: nothing', { balloonMb: 4000, requestedMb: 4000 }, 0],
    ['above the request: deflate by at most the decrement', { balloonMb: 4000, requestedMb: 1000 }, -128],
    ['slightly above the request: deflate the difference', { balloonMb: 1050, requestedMb: 1000 }, -50],
    ['request 0 (ballooning off for the VM) deflates', { balloonMb: 300, requestedMb: 0 }, -128],
    ['below the lower limit: deflate by the decrement', { guestFreeMb: 90, balloonMb: 500 }, -128],
    ['below the lower limit with a balloon smaller than one step: VBoxBalloonCtrl leaves it', { guestFreeMb: 90, balloonMb: 100 }, 0],
    ['below the lower limit, balloon 0', { guestFreeMb: 90, balloonMb: 0 }, 0],
  ])('%s', (_label, v, delta) => {
    expect(plan(v).deltaMb).toBe(delta);
  });

  it('explains a guest under its lower limit with an empty balloon in words', () => {
    expect(plan({ guestFreeMb: 90, balloonMb: 0 }).reason).toBe('guest free 90 MB is below the lower limit 128 MB; the balloon is already 0');
  });

  it('keeps the host safety margin when deflating', () => {
    expect(plan({ guestFreeMb: 90, balloonMb: 500 }, 1000).deltaMb).toBe(0);
    expect(plan({ guestFreeMb: 90, balloonMb: 500 }, 1100).deltaMb).toBe(-76);
    expect(plan({ guestFreeMb: 90, balloonMb: 500 }, 1100).reason).toMatch(/limited to 76 MB by the host safety margin/u);
    expect(plan({ guestFreeMb: 90, balloonMb: 500 }, 1000).reason).toMatch(/below the safety margin 1024 MB/u);
  });

  it('caps the request at --balloon-max', () => {
    const e = plan({ balloonMb: 1000, requestedMb: 5000 }, 8000, { maxBalloonMb: 1000 });
    expect(e.deltaMb).toBe(0);
    expect(e.reason).toMatch(/capped at the maximum 1000 MB/u);
  });

  it('never goes past VirtualBox\'s own limit', () => {
    const e = plan({ memoryMb: 1024, balloonMb: 900, requestedMb: 5000, guestFreeMb: 3000 });
    expect(e.toMb).toBe(920);
    expect(e.reason).toMatch(/VirtualBox's limit of 920 MB/u);
  });

  it('no change while guest statistics are missing', () => {
    expect(plan({ guestFreeMb: null })).toMatchObject({ deltaMb: 0, reason: expect.stringMatching(/not up yet/u) as unknown });
    expect(plan({ guestFreeMb: 0 }).deltaMb).toBe(0);
  });

  it('a disabled VM is forced to 0', () => {
    expect(plan({ balloonMb: 700, limits: { enabled: false } })).toMatchObject({ toMb: 0, deltaMb: -700 });
  });

  it('uses signed arithmetic where VBoxBalloonCtrl wraps around (documented difference)', () => {
    // Unsigned, 200 - 256 wraps to a huge number, the halving loop never runs and VBoxBalloonCtrl inflates by 256.
    expect(plan({ guestFreeMb: 200 }).deltaMb).toBe(64);
  });

  it('honours custom steps', () => {
    expect(plan({ guestFreeMb: 5000 }, 8000, { incrementMb: 512 }).deltaMb).toBe(512);
    expect(plan({ guestFreeMb: 50, balloonMb: 1000 }, 8000, { decrementMb: 300 }).deltaMb).toBe(-300);
    expect(plan({ guestFreeMb: 150 }, 8000, { lowerLimitMb: 200 }).deltaMb).toBe(0);
  });
});
