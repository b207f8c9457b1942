// Constructors of the errors of making room for a VM to start. @internal
import type { LeftOutVm, NoRoomError, RoomNotReadyError } from './error-types.js';
import { freeze, show } from './format.js';
import { fixed, option } from './fix.js';

/** @internal */
export function noRoom(
  vm: string,
  sizes: { readonly needMb: number; readonly headroomMb: number; readonly reclaimableMb: number; readonly keepGuestFreeMb: number; readonly keepGuestFreePercent?: number },
  leftOut: readonly LeftOutVm[],
): NoRoomError {
  const { needMb, headroomMb, reclaimableMb, keepGuestFreeMb } = sizes;
  const percent = sizes.keepGuestFreePercent ?? 0;
  const keeps = percent > 0 ? `${keepGuestFreeMb} MB free (or ${percent} % of its RAM, if more)` : `${keepGuestFreeMb} MB free`;
  const missingMb = Math.max(0, needMb - headroomMb - reclaimableMb);
  const out = leftOut.length === 0 ? '' : ` Running VMs that give nothing: ${leftOut.map((l) => `${show(l.vm)} (${l.reason})`).join('; ')}.`;
  const fix = fixed(
    'It could come from a larger budget ({0} or {1}), a lower {2} or {3}, fixing the VMs left out (Guest Additions, large pages), or shutting a VM down. Nothing was changed.',
    option('budgetMb'),
    option('budgetPercent'),
    option('keepGuestFreeMb'),
    option('keepGuestFreePercent'),
  );
  return freeze({
    code: 'NO_ROOM',
    vm,
    needMb,
    headroomMb,
    reclaimableMb,
    missingMb,
    leftOut,
    message:
      `Cannot make room to start VM ${show(vm)}: it needs ${needMb} MB, the budget has ${headroomMb} MB left and the running guests can give up ${reclaimableMb} MB ` +
      `while each keeps ${keeps}; ${missingMb} MB are missing.${out} ${fix.words}`,
    fix: fix.fix,
  });
}

/** @internal */
export function roomNotReady(vm: string, neededMb: number, freedMb: number, waitedMs: number): RoomNotReadyError {
  const ready = fixed('The guests may be slow to give memory (busy, or their Guest Additions lag): {0}, or try again.', option('waitTimeoutMs', 'raise'));
  return freeze({
    code: 'ROOM_NOT_READY',
    vm,
    neededMb,
    freedMb,
    waitedMs,
    message: `The balloons inflated to make room for VM ${show(vm)} freed ${freedMb} of ${neededMb} MB in ${waitedMs} ms, so it was not started. ${ready.words}`,
    fix: ready.fix,
  });
}
