// The host's caution: when a guest runs out of memory after its use rose, the other guests on the host may be about to
// do the same (guests on one host often run alike: CI jobs, batch workers), and they have not shown it yet. For an
// hour after, every guest keeps free memory for a rise of that size, as a share of its RAM. Pure: the loop holds it.
import type { SnapshotVm } from '../domain/balloon-plan.js';

/** Free memory under which a guest has run out (it swaps, or is about to), in MB: the host's caution starts. @internal */
export const RAN_OUT_MB = 64;
/** The most of a guest's RAM the host's caution keeps free, in percent. @internal */
export const MAX_CAUTION_PERCENT = 50;
/** How long the caution lasts after the last guest ran out, in ticks (1 hour at the default 10 s interval). @internal */
export const CAUTION_TICKS = 360;

/** What the host learned: the largest rise in use seen in a guest that ran out. @internal */
export interface HostCaution {
  /** The rise, as a share of that guest's RAM. */
  share: number;
  /** The rise in MB, and the guest's name, for the reason. */
  riseMb: number;
  vm: string;
  /** The last tick a guest ran out. */
  lastTick: number;
}

/** A guest's rise in use during a run-out, as the watch measured it this tick. @internal */
export interface Rise {
  readonly vm: string;
  readonly riseMb: number;
  readonly memoryMb: number;
  /** Whether it is short now (under {@link RAN_OUT_MB} free): that keeps the caution going. */
  readonly short: boolean;
}

/** Take this tick's rises into the caution; it ends {@link CAUTION_TICKS} ticks after the last run-out. @internal */
export function learnCaution(c: HostCaution | null, rises: readonly Rise[], tick: number): HostCaution | null {
  let out = c !== null && tick - c.lastTick > CAUTION_TICKS ? null : c;
  for (const r of rises) {
    const share = r.riseMb / Math.max(1, r.memoryMb);
    if (out === null) out = { share: 0, riseMb: 0, vm: r.vm, lastTick: tick };
    if (r.short) out.lastTick = tick;
    if (share > out.share) Object.assign(out, { share, riseMb: r.riseMb, vm: r.vm });
  }
  return out !== null && out.share > 0 ? out : null;
}

/** The free memory a guest of `memoryMb` keeps under the caution, in MB (0: none). @internal */
export function cautionMb(c: HostCaution | null, memoryMb: number): number {
  return c === null ? 0 : Math.ceil(Math.min(MAX_CAUTION_PERCENT / 100, c.share) * memoryMb);
}

/** The running guests with the caution's free memory (`cautionMb`) and why. @internal */
export function withCaution(c: HostCaution | null, vms: readonly SnapshotVm[], tick: number): SnapshotVm[] {
  if (c === null) return [...vms];
  const left = CAUTION_TICKS - (tick - c.lastTick);
  const percent = Math.round(100 * Math.min(MAX_CAUTION_PERCENT / 100, c.share));
  return vms.map((v) => {
    if (v.state !== undefined && v.state !== 'running') return v;
    const mb = cautionMb(c, v.memoryMb);
    const why = `${c.vm} ran out of memory after its use rose by ${c.riseMb} MB: for ${left} more ticks every guest keeps room for a rise of ${percent} % of its RAM (${mb} MB here)`;
    return { ...v, cautionMb: mb, cautionWhy: why };
  });
}
