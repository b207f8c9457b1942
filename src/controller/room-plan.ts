// Where the memory for a VM's start would come from: pure and explained. The figures (budget, backing, headroom,
// what each guest could give) are the host-memory ledger's, the same the autopilot, inspect and the metrics report.
import type { VmState } from '../domain/vm-state.js';
import { fixed, option } from '../errors/index.js';
import { chooseDonors, type LedgerVm, type MemoryLedger } from '../host-memory/index.js';
import { argv as commands } from '../port/argv.js';
import type { StartVmType } from '../port/client.js';
import { DEFAULT_VM_OVERHEAD_MB, type RoomPlan } from './room-types.js';

/** Everything {@link planRoom} decides from. @internal */
export interface RoomInput {
  readonly vm: { readonly name: string; readonly uuid: string; readonly state: VmState; readonly memoryMb: number; readonly vramMb: number | null };
  readonly type: StartVmType;
  readonly overheadMb: number | undefined;
  /** The host's memory, from one snapshot of every VM on it. */
  readonly ledger: MemoryLedger;
  /** The VMs that may give (from the ledger), those that cannot included: they are listed with why. */
  readonly donors: readonly LedgerVm[];
}

function backingLine(ledger: MemoryLedger): string {
  const holding = ledger.vms.filter((v) => v.backingMb > 0).length;
  const reserved = ledger.reservedMb > 0 ? `, ${ledger.reservedMb} MB are kept for ${ledger.starting.length === 1 ? 'a start' : `${ledger.starting.length} starts`} in flight` : '';
  return `The budget is ${ledger.budgetMb} MB; the ${holding} guest${holding === 1 ? ' that holds' : 's that hold'} memory ${holding === 1 ? 'is' : 'are'} backed with ${ledger.backingMb} MB${reserved}, so ${ledger.overBudgetMb > 0 ? `they are ${ledger.overBudgetMb} MB over it and 0 MB are left` : `${ledger.headroomMb} MB are left`} without ballooning.`;
}

/** Plan a start: the budget's headroom first, then the balloons of the guests with the most free memory. @internal */
export function planRoom(input: RoomInput): RoomPlan {
  const { vm, ledger } = input;
  const overheadMb = input.overheadMb ?? DEFAULT_VM_OVERHEAD_MB + (vm.vramMb ?? 0);
  const needMb = vm.memoryMb + overheadMb;
  const { budgetMb, backingMb, reservedMb, headroomMb, keepGuestFreeMb } = ledger;
  const reclaimMb = Math.max(0, needMb - headroomMb);
  const estimated = input.overheadMb === undefined ? fixed(`(estimated: ${DEFAULT_VM_OVERHEAD_MB} MB${vm.vramMb === null ? '' : ` plus ${vm.vramMb} MB of video memory`}; set {0})`, option('overheadMb')) : null;
  const fixes = estimated === null ? [] : [estimated.fix];
  const why: string[] = [
    `${vm.name} needs ${needMb} MB: ${vm.memoryMb} MB of RAM and ${overheadMb} MB of VirtualBox overhead${estimated === null ? '' : ` ${estimated.words}`}.`,
    backingLine(ledger),
  ];
  for (const v of ledger.vms) if (v.rule === 'all-ram' && v.backingMb > 0) why.push(`${v.vm}: ${v.backingWhy}.`);
  if (ledger.freeMb + reclaimMb < needMb) {
    why.push(`Note: the host reports ${ledger.freeMb} MB free. Memory that balloons already hold is VirtualBox's to reuse and does not show there, but if the start fails for lack of memory, the budget is larger than this host can back: lower it.`);
  }
  const host = { totalMb: ledger.totalMb, freeMb: ledger.freeMb };
  const base = { vm: vm.name, uuid: vm.uuid, state: vm.state, memoryMb: vm.memoryMb, overheadMb, needMb, budgetMb, backingMb, reservedMb, headroomMb, reclaimMb, host };
  const start = commands.startVm(vm.uuid, input.type);
  if (reclaimMb === 0) {
    why.push('That covers the start: no balloon needs to change.');
    const leftOut = input.donors.filter((v) => !v.canBalloon).map((v) => ({ vm: v.vm, reason: v.giveWhy }));
    return { ...base, fits: true, missingMb: 0, entries: [], leftOut, explanation: why, fixes, commands: [start] };
  }
  const plan = chooseDonors(input.donors, reclaimMb, { mb: keepGuestFreeMb, percent: ledger.keepGuestFreePercent });
  const keeps = ledger.keepGuestFreePercent > 0 ? `${keepGuestFreeMb} MB free (or ${ledger.keepGuestFreePercent} % of its RAM, if more)` : `${keepGuestFreeMb} MB free`;
  if (plan.isErr()) {
    const missingMb = reclaimMb - plan.error.reclaimableMb;
    why.push(`The rest, ${reclaimMb} MB, must come from balloons, but the running guests can give up only ${plan.error.reclaimableMb} MB while each keeps ${keeps}: ${missingMb} MB are missing.`);
    for (const l of plan.error.leftOut) why.push(`${l.vm} gives nothing: ${l.reason}.`);
    return { ...base, fits: false, missingMb, entries: [], leftOut: plan.error.leftOut, explanation: why, fixes, commands: [] };
  }
  why.push(`The rest, ${reclaimMb} MB, comes from balloons, most-free guests first, each keeping ${keeps}:`);
  for (const e of plan.value.entries) why.push(`${e.vm} gives ${e.takeMb} MB (it has ${e.guestFreeMb} MB free; balloon ${e.fromMb} -> ${e.toMb} MB).`);
  return {
    ...base,
    fits: true,
    missingMb: 0,
    entries: plan.value.entries,
    leftOut: plan.value.leftOut,
    explanation: why,
    fixes,
    commands: [...plan.value.entries.map((e) => commands.setLiveBalloon(e.uuid, e.toMb)), start],
  };
}
