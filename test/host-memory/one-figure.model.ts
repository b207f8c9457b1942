// The random hosts of the one-figure tests and the plain sum they are checked against (shared by the in-memory
// property, one-figure.test.ts, and the command line over the stand-in, one-figure-cli.e2e.test.ts).
import fc from 'fast-check';
import { VM_STATES, type BalloonStatus, type InMemoryVmSpec, type VmState } from '../../src/index.js';

const OFF: readonly string[] = ['poweroff', 'saved', 'aborted-saved', 'teleported', 'aborted', 'restoringsnapshot', 'deletingsnapshot', 'settingup', 'snapshotting'];

// The model, written out by hand from what inspectAll shows of each VM.
export function plainBacking(s: BalloonStatus): number {
  if (OFF.includes(s.state)) return 0;
  if (s.state !== 'running' && s.state !== 'paused') return s.memoryMb; // starting, stuck, saving, unknown…: all of it
  const level = s.guestAdditions.runLevel;
  if (s.largePages === true || level === null || level < 2 || s.balloon.actualMb === null || s.guest === null) return s.memoryMb;
  return s.memoryMb - Math.min(s.balloon.actualMb, s.balloon.requestedMb);
}

export const vmArb = fc.record({
  state: fc.constantFrom<VmState>(...VM_STATES, 'running', 'running', 'running'),
  memoryMb: fc.integer({ min: 512, max: 16_384 }),
  balloonFrac: fc.double({ min: 0, max: 0.85, noNaN: true }),
  usedFrac: fc.double({ min: 0.05, max: 0.9, noNaN: true }),
  largePages: fc.constantFrom(false, false, true, null),
  runLevel: fc.constantFrom<0 | 1 | 2 | 3>(0, 1, 2, 2, 3),
  noStats: fc.boolean(),
});
export const fleetArb = fc.record({ hostMb: fc.integer({ min: 8192, max: 131_072 }), percent: fc.integer({ min: 10, max: 100 }), vms: fc.array(vmArb, { maxLength: 8 }) });
export type Fleet = typeof fleetArb extends fc.Arbitrary<infer T> ? T : never;

export function specs(f: Fleet, withStatsDelay: boolean): InMemoryVmSpec[] {
  const vms = f.vms.map((v, i): InMemoryVmSpec => ({
    name: `vm-${i}`,
    state: v.state,
    memoryMb: v.memoryMb,
    defaultBalloonMb: Math.floor(v.memoryMb * v.balloonFrac),
    usedMb: Math.floor(v.memoryMb * v.usedFrac),
    largePages: v.largePages,
    guestAdditionsRunLevel: v.runLevel,
    ...(withStatsDelay && v.noStats ? { statsDelayMs: 1e9 } : {}),
  }));
  return [...vms, { name: 'next', state: 'poweroff', memoryMb: 1024 }];
}

export const same = (m: { budgetMb: number; backingMb: number; headroomMb: number }) => ({ budgetMb: m.budgetMb, backingMb: m.backingMb, headroomMb: m.headroomMb });

