// What the controller says about Page Fusion: the warning of `prepare` and the explanation of `inspect`. Pure.
import { fixed, show, type ErrorFix } from '../errors/index.js';
import { pageFusionGuest } from '../domain/balloon-rules.js';
import type { VmInfo } from '../domain/vm-info.js';
import type { GuestMemory } from '../port/client.js';
import type { PageFusionStatus } from './types.js';

const WINDOWS_ONLY = "VirtualBox's Page Fusion works only with Windows 2000 and later guests";

function guestInWords(vm: VmInfo): string {
  return vm.osType === null ? 'a guest whose OS type is not reported' : `a ${vm.osType} guest`;
}

/** The `warning` of a `prepare` that turns Page Fusion on for a guest that is not known to be Windows. @internal */
export function pageFusionWarning(vm: VmInfo): { readonly message: string; readonly fix: ErrorFix } {
  const off = fixed('{0} turns it off again while the VM is off.', { kind: 'set-page-fusion', vm: vm.name, on: false });
  return { message: `${WINDOWS_ONLY}, and VM ${show(vm.name)} runs ${guestInWords(vm)}: Page Fusion will cost host CPU time to scan its memory and share nothing. ${off.words}`, fix: off.fix };
}

/**
 * Page Fusion on one VM for `inspect`. `similar` is how many other registered VMs have the same Windows OS type
 * (`inspectAll` knows it), or `null` when not known (`inspect` of one VM looks at no other VM). @internal
 */
export function pageFusionStatus(vm: VmInfo, guest: GuestMemory | null, similar: number | null): PageFusionStatus {
  const windows = pageFusionGuest(vm.osType);
  const sharedMb = guest?.sharedMb ?? null; // a client of the caller's own may not report it at all
  let hint: string | null = null;
  if (vm.pageFusion === true && windows === false) {
    hint = `Page Fusion is on, but ${WINDOWS_ONLY}: for ${guestInWords(vm)} it costs host CPU time to scan for identical pages and shares nothing. Turn it off while the VM is off: prepare(${show(vm.name)}, { pageFusion: false }).`;
  } else if (vm.pageFusion === false && windows === true && similar !== 0) {
    const others =
      similar === null
        ? `If this host runs several VMs with the same Windows version (${vm.osType ?? ''}), turning it on for each of them`
        : `${similar} other ${similar === 1 ? 'VM runs' : 'VMs run'} ${vm.osType ?? ''} here: turning it on for all of them`;
    hint = `Page Fusion is off. ${others} lets VirtualBox share their identical memory pages, at some host CPU cost (see docs/page-fusion.md): prepare(${show(vm.name)}, { pageFusion: true }) while each VM is off.`;
  }
  return { enabled: vm.pageFusion, sharedMb, hint };
}

/** For each VM, how many other VMs of `vms` have the same OS type (the `similar` of {@link pageFusionStatus}). @internal */
export function sameOsTypeCounts(vms: readonly VmInfo[]): Map<string, number> {
  const byType = new Map<string, number>();
  for (const v of vms) if (v.osType !== null) byType.set(v.osType, (byType.get(v.osType) ?? 0) + 1);
  return new Map(vms.map((v) => [v.uuid, v.osType === null ? 0 : (byType.get(v.osType) ?? 1) - 1]));
}
