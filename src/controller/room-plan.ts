// Where the memory for a VM's start would come from: pure, explained, and the same arithmetic as the autopilot's
// budget policy (memory backing the running guests = their RAM minus their achieved balloons).
import type { LeftOutVm } from '../errors/index.js';
import type { VmState } from '../domain/vm-state.js';
import { argv as commands } from '../port/argv.js';
import type { StartVmType } from '../port/client.js';
import { planReclaim, type ReclaimCandidate } from './reclaim-plan.js';
import { DEFAULT_VM_OVERHEAD_MB, type RoomPlan } from './room-types.js';

/** Everything {@link planRoom} decides from. @internal */
export interface RoomInput {
  readonly vm: { readonly name: string; readonly uuid: string; readonly state: VmState; readonly memoryMb: number; readonly vramMb: number | null };
  readonly type: StartVmType;
  readonly budgetMb: number;
  readonly overheadMb: number | undefined;
  readonly keepGuestFreeMb: number;
  /** Every running VM: its RAM and achieved balloon (`null` while its guest does not report one: counted as 0). */
  readonly running: readonly { readonly memoryMb: number; readonly balloonMb: number | null }[];
  /** The running VMs that may give, and those that cannot (with why). */
  readonly candidates: readonly ReclaimCandidate[];
  readonly leftOut: readonly LeftOutVm[];
  readonly host: { readonly totalMb: number; readonly freeMb: number };
}

/** Plan a start: the budget's headroom first, then the balloons of the guests with the most free memory. @internal */
export function planRoom(input: RoomInput): RoomPlan {
  const { vm } = input;
  const overheadMb = input.overheadMb ?? DEFAULT_VM_OVERHEAD_MB + (vm.vramMb ?? 0);
  const needMb = vm.memoryMb + overheadMb;
  const backingMb = input.running.reduce((sum, r) => sum + Math.max(0, r.memoryMb - (r.balloonMb ?? 0)), 0);
  const headroomMb = Math.max(0, input.budgetMb - backingMb);
  const reclaimMb = Math.max(0, needMb - headroomMb);
  const why: string[] = [
    `${vm.name} needs ${needMb} MB: ${vm.memoryMb} MB of RAM and ${overheadMb} MB of VirtualBox overhead${input.overheadMb === undefined ? ` (estimated: ${DEFAULT_VM_OVERHEAD_MB} MB${vm.vramMb === null ? '' : ` plus ${vm.vramMb} MB of video memory`}; set overheadMb)` : ''}.`,
    `The budget is ${input.budgetMb} MB; the ${input.running.length} running guests are backed with ${backingMb} MB, so ${headroomMb} MB are left without ballooning.`,
  ];
  if (input.host.freeMb + reclaimMb < needMb) {
    why.push(`Note: the host reports ${input.host.freeMb} MB free. Memory that balloons already hold is VirtualBox's to reuse and does not show there, but if the start fails for lack of memory, the budget is larger than this host can back: lower it.`);
  }
  const base = { vm: vm.name, uuid: vm.uuid, state: vm.state, memoryMb: vm.memoryMb, overheadMb, needMb, budgetMb: input.budgetMb, backingMb, headroomMb, reclaimMb, host: input.host };
  const start = commands.startVm(vm.uuid, input.type);
  if (reclaimMb === 0) {
    why.push('That covers the start: no balloon needs to change.');
    return { ...base, fits: true, missingMb: 0, entries: [], leftOut: input.leftOut, explanation: why, commands: [start] };
  }
  const plan = planReclaim(input.candidates, reclaimMb, input.keepGuestFreeMb, input.leftOut);
  if (plan.isErr()) {
    const missingMb = reclaimMb - plan.error.reclaimableMb;
    why.push(`The rest, ${reclaimMb} MB, must come from balloons, but the running guests can give up only ${plan.error.reclaimableMb} MB while each keeps ${input.keepGuestFreeMb} MB free: ${missingMb} MB are missing.`);
    for (const l of plan.error.leftOut) why.push(`${l.vm} gives nothing: ${l.reason}.`);
    return { ...base, fits: false, missingMb, entries: [], leftOut: plan.error.leftOut, explanation: why, commands: [] };
  }
  why.push(`The rest, ${reclaimMb} MB, comes from balloons, most-free guests first, each keeping ${input.keepGuestFreeMb} MB free:`);
  for (const e of plan.value.entries) why.push(`${e.vm} gives ${e.takeMb} MB (it has ${e.guestFreeMb} MB free; balloon ${e.fromMb} -> ${e.toMb} MB).`);
  return {
    ...base,
    fits: true,
    missingMb: 0,
    entries: plan.value.entries,
    leftOut: plan.value.leftOut,
    explanation: why,
    commands: [...plan.value.entries.map((e) => commands.setLiveBalloon(e.uuid, e.toMb)), start],
  };
}
