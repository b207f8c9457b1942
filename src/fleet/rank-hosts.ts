// Where a VM would start best: every host's one-host plan (or why it has none) in, the hosts ranked and each
// explained in one line out, Kubernetes-style ("0/3 hosts can start 'ci-7': …"). Pure: the figures are the plans'.
import { show, type BalloonError } from '../errors/index.js';
import type { RoomPlan } from '../controller/room-types.js';

/**
 * How hosts that can start the VM are ranked (ties keep the fleet's order):
 * - `least-ballooning` (the default): the least memory taken from balloons (`reclaimMb`), then the most headroom
 *   left after the start (`headroomMb - needMb`);
 * - `spread`: the largest share of the budget left after the start (`(budgetMb - backingMb - reservedMb - needMb) /
 *   budgetMb`), then the least ballooning: VMs spread over the hosts in proportion to their size;
 * - `pack`: hosts that need no ballooning first, the fullest first (the least headroom left, best fit), then those
 *   that need ballooning, the least first: hosts fill up one after another and others stay free.
 */
export type PlacementStrategy = 'least-ballooning' | 'spread' | 'pack';

/** The strategies, in the order the docs list them. */
export const PLACEMENT_STRATEGIES: readonly PlacementStrategy[] = ['least-ballooning', 'spread', 'pack'];

/** One host's answer: its plan, or the error that kept it from planning. */
export interface HostAnswer {
  /** The host's name in the fleet. */
  readonly host: string;
  /** The one-host plan, when the host could plan. */
  readonly plan: RoomPlan | null;
  /** Why it could not plan (no such VM or base, no answer…), else `null`. */
  readonly error: BalloonError | null;
}

/** One host in a placement: whether it can start the VM, its rank among those that can, and why, in one line. */
export interface HostVerdict extends HostAnswer {
  /** Whether the host can start the VM (its plan fits). */
  readonly fits: boolean;
  /** 1 for the best host, 2 for the next…; `null` for a host that cannot start it. */
  readonly rank: number | null;
  /** The reason, with the figures, in one line (without the host's name). */
  readonly line: string;
}

/** Where a VM can start across a fleet. */
export interface FleetPlacement {
  /** The VM to start (for a clone, its new name). */
  readonly vm: string;
  /** How the hosts were ranked. */
  readonly strategy: PlacementStrategy;
  /** Every host: those that can start it first, best first, then the others in fleet order. */
  readonly hosts: readonly HostVerdict[];
  /** The best host, or `null` when none can start it. */
  readonly chosen: string | null;
  /** One sentence: how many hosts can start it, and every host's line. */
  readonly summary: string;
}

/** A size for people: MB below 1 GB, else GB with one decimal. @internal */
export function sizeWords(mb: number): string {
  return mb < 1024 ? `${mb} MB` : `${(mb / 1024).toFixed(1)} GB`;
}

const leftMb = (p: RoomPlan): number => p.budgetMb - p.backingMb - p.reservedMb - p.needMb;

function fitLine(p: RoomPlan): string {
  if (p.reclaimMb === 0) return `can start it: it needs ${sizeWords(p.needMb)} of ${sizeWords(p.headroomMb)} headroom (${sizeWords(p.headroomMb - p.needMb)} left)`;
  const guests = p.entries.length;
  return `can start it by ballooning ${sizeWords(p.reclaimMb)} from ${guests} guest${guests === 1 ? '' : 's'} (it needs ${sizeWords(p.needMb)}, ${sizeWords(p.headroomMb)} headroom)`;
}

function refusalLine(a: HostAnswer, vm: string, base: string | null): string {
  const p = a.plan;
  if (p !== null) {
    const give = p.reclaimMb - p.missingMb;
    return `needs ${sizeWords(p.missingMb)} more than its headroom (${sizeWords(p.headroomMb)}) and its balloons (${sizeWords(give)}) can give`;
  }
  const e = a.error;
  if (e === null) return 'gave no answer';
  switch (e.code) {
    case 'VM_NOT_FOUND':
      return base === null ? `has no VM ${show(vm)}` : `has no VM or template ${show(base)}`;
    case 'SNAPSHOT_NOT_FOUND':
      return e.snapshot === null ? `has ${show(base ?? e.vm ?? '')} without a snapshot to clone` : `has no snapshot ${show(e.snapshot)} of ${show(base ?? e.vm ?? '')}`;
    case 'VM_EXISTS':
      return `already has a VM ${show(vm)}`;
    case 'INVALID_VM_STATE':
      return e.state === 'running' || e.state === 'paused' ? `already runs ${show(vm)}` : `has ${show(vm)} ${e.state}, which cannot start`;
    case 'SSH_FAILED':
      return `did not answer (ssh: ${e.kind === 'refused' ? 'connection refused' : e.kind})`;
    case 'TIMEOUT':
      return `did not answer in time (${e.timeoutMs} ms)`;
    default:
      return `could not plan (${e.code}: ${e.message.split('. ')[0] ?? e.message})`;
  }
}

function compare(strategy: PlacementStrategy): (a: RoomPlan, b: RoomPlan) => number {
  switch (strategy) {
    case 'spread':
      return (a, b) => leftMb(b) / Math.max(1, b.budgetMb) - leftMb(a) / Math.max(1, a.budgetMb) || a.reclaimMb - b.reclaimMb;
    case 'pack':
      return (a, b) => Number(a.reclaimMb > 0) - Number(b.reclaimMb > 0) || (a.reclaimMb === 0 ? leftMb(a) - leftMb(b) : a.reclaimMb - b.reclaimMb);
    case 'least-ballooning':
      return (a, b) => a.reclaimMb - b.reclaimMb || leftMb(b) - leftMb(a);
  }
}

/** Rank the hosts that can start `vm` and explain every host. `base` is the template's name for a clone. */
export function rankHosts(vm: string, answers: readonly HostAnswer[], strategy: PlacementStrategy = 'least-ballooning', base: string | null = null): FleetPlacement {
  const fitting = answers.filter((a): a is HostAnswer & { plan: RoomPlan } => a.plan !== null && a.plan.fits);
  const ranked = [...fitting].sort((a, b) => compare(strategy)(a.plan, b.plan));
  const others = answers.filter((a) => !(a.plan !== null && a.plan.fits));
  const hosts: HostVerdict[] = [
    ...ranked.map((a, i) => ({ ...a, fits: true, rank: i + 1, line: fitLine(a.plan) })),
    ...others.map((a) => ({ ...a, fits: false, rank: null, line: refusalLine(a, vm, base) })),
  ];
  const lines = hosts.map((h) => `${h.host} ${h.line}${h.rank === 1 ? ' (chosen)' : ''}`);
  return {
    vm,
    strategy,
    hosts,
    chosen: ranked[0]?.host ?? null,
    summary: `${ranked.length}/${answers.length} host${answers.length === 1 ? '' : 's'} can start ${show(vm)}: ${lines.join('; ')}`,
  };
}
