// Water-levelling for the budget policy: who gives memory when the fleet must shrink, who gets it back when it
// may grow. Pure; O(n log(range)) by bisection on the level.

/** One VM as the levelling sees it. @internal */
export interface LevelVm {
  /** Free memory above the guest's inflation floor, in MB (may be negative). */
  readonly excessMb: number;
  /** Weight: the level is per 1000 shares. */
  readonly weight: number;
  /** The most this VM may move now, in MB (0: it does not take part). */
  readonly capMb: number;
  /** The smallest move worth a `controlvm`, in MB (levelling up, a move of the whole `capMb` is always made). */
  readonly minMoveMb: number;
}

const ITERATIONS = 24;

/**
 * Take `totalMb` from the VMs with the most excess free memory per weight, levelling them down: VM i gives
 * `clamp(excess_i − level × weight_i, 0, cap_i)` for the highest level that yields `totalMb`. A VM whose share is
 * below its smallest move gives nothing. Returns the MB each VM gives (whole MB).
 */
export function levelDown(vms: readonly LevelVm[], totalMb: number): number[] {
  const give = (v: LevelVm, level: number): number => Math.min(v.capMb, Math.max(0, v.excessMb - level * v.weight));
  return bisect(vms, totalMb, give, true);
}

/**
 * Give `totalMb` to the VMs with the least excess free memory per weight, levelling them up: VM i gets
 * `clamp(level × weight_i − excess_i, 0, cap_i)` for the lowest level that uses `totalMb`.
 */
export function levelUp(vms: readonly LevelVm[], totalMb: number): number[] {
  const get = (v: LevelVm, level: number): number => Math.min(v.capMb, Math.max(0, level * v.weight - v.excessMb));
  return bisect(vms, totalMb, get, false);
}

function bisect(vms: readonly LevelVm[], totalMb: number, amount: (v: LevelVm, level: number) => number, down: boolean): number[] {
  const live = vms.map((v) => v.capMb > 0 && v.weight > 0);
  if (totalMb <= 0 || !live.includes(true)) return vms.map(() => 0);
  const sum = (level: number): number => vms.reduce((s, v, i) => s + (live[i] === true ? amount(v, level) : 0), 0);
  // The level runs between where everyone moves their most and where nobody moves.
  let lo = 0;
  let hi = 0;
  for (const [i, v] of vms.entries()) {
    if (live[i] !== true) continue;
    const edge = down ? Math.max(0, v.excessMb) / v.weight : (Math.max(0, v.excessMb) + v.capMb) / v.weight;
    hi = Math.max(hi, edge);
  }
  if (down) {
    // Lower level: more given. Find the highest level that still gives at least totalMb.
    if (sum(0) <= totalMb) lo = hi = 0;
    else {
      for (let k = 0; k < ITERATIONS; k++) {
        const mid = (lo + hi) / 2;
        if (sum(mid) >= totalMb) lo = mid;
        else hi = mid;
      }
      hi = lo;
    }
  } else if (sum(hi) <= totalMb) lo = hi;
  else {
    for (let k = 0; k < ITERATIONS; k++) {
      const mid = (lo + hi) / 2;
      if (sum(mid) >= totalMb) hi = mid;
      else lo = mid;
    }
    lo = hi;
  }
  const out = vms.map((v, i) => (live[i] === true ? Math.floor(amount(v, lo)) : 0));
  // Moves below their VM's smallest worthwhile change are not made; giving back a whole small balloon is.
  return out.map((mb, i) => (mb >= (vms[i]?.minMoveMb ?? 0) || (!down && mb === vms[i]?.capMb) ? mb : 0));
}
