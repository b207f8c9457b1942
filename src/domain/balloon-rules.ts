import { err, ok, type Result } from 'neverthrow';
import {
  guestAdditionsNotRunning,
  invalidVmState,
  largePagesEnabled,
  makeFix,
  shellWord,
  type ErrorFix,
  type GuestAdditionsNotRunningError,
  type HostUnsupportedError,
  type InvalidArgumentError,
  type InvalidBalloonSizeError,
  type InvalidVmStateError,
  type LargePagesEnabledError,
} from '../errors/index.js';
import { validateBalloonSize } from './balloon-size.js';
import { notHostInfo, notVmInfo } from './shape.js';
import { hostSupport, pageFusionHostSupport, type HostInfo } from './host.js';
import type { VmInfo } from './vm-info.js';
import { LIVE_BALLOON_STATES, MUTABLE_STATES } from './vm-state.js';

/** A reason why a live balloon change would fail or have no effect. */
export type LiveBalloonBlocker =
  | HostUnsupportedError
  | InvalidBalloonSizeError
  | InvalidVmStateError
  | LargePagesEnabledError
  | GuestAdditionsNotRunningError;

/** A reason why changing the default balloon (`modifyvm --guestmemoryballoon`) would fail. */
export type DefaultBalloonBlocker = HostUnsupportedError | InvalidBalloonSizeError | InvalidVmStateError;

/** A reason why changing large pages (`modifyvm --largepages`) would fail. */
export type LargePagesBlocker = InvalidVmStateError;

/** A reason why changing Page Fusion (`modifyvm --pagefusion`) would fail. */
export type PageFusionBlocker = HostUnsupportedError | InvalidVmStateError;

function hostBlockers(vm: VmInfo, host: HostInfo | undefined, check: (host: HostInfo) => Result<HostInfo, HostUnsupportedError> = hostSupport): HostUnsupportedError[] {
  if (host === undefined) return [];
  return check(host).match(
    () => [],
    (e) => [{ ...e, vm: vm.name }],
  );
}

function sizeBlockers(vm: VmInfo, sizeMb: unknown): InvalidBalloonSizeError[] {
  if (sizeMb === undefined) return [];
  return validateBalloonSize(sizeMb, vm.memoryMb, vm.name).match(
    () => [],
    (e) => [e],
  );
}

/**
 * Every reason why `controlvm <vm> guestmemoryballoon <sizeMb>` would fail or have no effect, in the order
 * VirtualBox would meet them: host, size, state, then large pages and Guest Additions. Empty when it can go ahead.
 */
export function liveBalloonBlockers(vm: VmInfo, sizeMb?: unknown, host?: HostInfo): readonly LiveBalloonBlocker[] {
  const out: LiveBalloonBlocker[] = [...hostBlockers(vm, host), ...sizeBlockers(vm, sizeMb)];
  const running = LIVE_BALLOON_STATES.includes(vm.state);
  if (!running) {
    const size = typeof sizeMb === 'number' ? sizeMb : null;
    const fix =
      vm.state === 'saved' || vm.state === 'aborted-saved'
        ? `Start the VM (VBoxManage startvm ${shellWord(vm.name)}) first; a saved VM accepts no balloon change.`
        : makeFix('Start the VM first, or {0} to set the balloon requested at every start.', { kind: 'set-default-balloon', vm: vm.name, sizeMb: size });
    out.push(invalidVmState(vm.name, vm.state, LIVE_BALLOON_STATES, 'live balloon change', fix));
  }
  if (vm.largePages === true) out.push(largePagesEnabled(vm.name));
  // Only a running guest reports Guest Additions; for a VM that is off the state blocker already says it all.
  if (running && (vm.guestAdditions.runLevel === null || vm.guestAdditions.runLevel < 2)) {
    out.push(guestAdditionsNotRunning(vm.name, vm.guestAdditions.runLevel));
  }
  return out;
}

/** The first of {@link liveBalloonBlockers}, or the size when a live change can go ahead. */
export function checkLiveBalloon(vm: VmInfo, sizeMb: unknown, host?: HostInfo): Result<number, LiveBalloonBlocker | InvalidArgumentError> {
  const bad = notVmInfo(vm) ?? (host === undefined ? null : notHostInfo(host));
  if (bad !== null) return err(bad);
  // A missing size is a bad size here, not "no size to check".
  const first = liveBalloonBlockers(vm, sizeMb ?? null, host)[0];
  return first === undefined ? ok(sizeMb as number) : err(first);
}

function mutableStateBlockers(vm: VmInfo, operation: string, fix: string | ErrorFix): InvalidVmStateError[] {
  return MUTABLE_STATES.includes(vm.state) ? [] : [invalidVmState(vm.name, vm.state, MUTABLE_STATES, operation, fix)];
}

/**
 * Every reason why `modifyvm <vm> --guestmemoryballoon <sizeMb>` would fail: host, size, and the VM must be off
 * (poweroff, aborted or teleported).
 */
export function defaultBalloonBlockers(vm: VmInfo, sizeMb?: unknown, host?: HostInfo): readonly DefaultBalloonBlocker[] {
  const size = typeof sizeMb === 'number' ? sizeMb : null;
  const fix = LIVE_BALLOON_STATES.includes(vm.state)
    ? makeFix('The default balloon can only be changed while the VM is off; {0} for a live change, or power the VM off first.', { kind: 'set-live-balloon', vm: vm.name, sizeMb: size })
    : `Power the VM off (or discard its saved state) first.`;
  return [...hostBlockers(vm, host), ...sizeBlockers(vm, sizeMb), ...mutableStateBlockers(vm, 'default balloon change', fix)];
}

/** The first of {@link defaultBalloonBlockers}, or the size when the change can go ahead. */
export function checkDefaultBalloon(vm: VmInfo, sizeMb: unknown, host?: HostInfo): Result<number, DefaultBalloonBlocker | InvalidArgumentError> {
  const bad = notVmInfo(vm) ?? (host === undefined ? null : notHostInfo(host));
  if (bad !== null) return err(bad);
  const first = defaultBalloonBlockers(vm, sizeMb ?? null, host)[0];
  return first === undefined ? ok(sizeMb as number) : err(first);
}

// The fix that fits the state: a running VM is shut down; a saved one must be started and shut down (or its state discarded).
function powerOffFix(vm: VmInfo): string {
  return vm.state === 'saved' || vm.state === 'aborted-saved'
    ? `Discard its saved state (VBoxManage discardstate ${shellWord(vm.name)}) or start it and shut it down first.`
    : `Power the VM off first (VBoxManage controlvm ${shellWord(vm.name)} acpipowerbutton).`;
}

/** Every reason why `modifyvm <vm> --largepages on|off` would fail: the VM must be off. */
export function largePagesBlockers(vm: VmInfo): readonly LargePagesBlocker[] {
  return mutableStateBlockers(vm, 'large pages change', powerOffFix(vm));
}

/** The first of {@link largePagesBlockers}, or the VM when the change can go ahead. */
export function checkLargePages(vm: VmInfo): Result<VmInfo, LargePagesBlocker | InvalidArgumentError> {
  const bad = notVmInfo(vm);
  if (bad !== null) return err(bad);
  const first = largePagesBlockers(vm)[0];
  return first === undefined ? ok(vm) : err(first);
}

/**
 * Every reason why `modifyvm <vm> --pagefusion on|off` would fail: a 64-bit host other than macOS (checked when
 * `host` is given), and the VM must be off (VirtualBox's manual: "only while a VM is shut down").
 */
export function pageFusionBlockers(vm: VmInfo, host?: HostInfo): readonly PageFusionBlocker[] {
  return [...hostBlockers(vm, host, pageFusionHostSupport), ...mutableStateBlockers(vm, 'Page Fusion change', powerOffFix(vm))];
}

/**
 * Whether Page Fusion can share anything for this guest: VirtualBox's manual says it "currently works only with
 * Windows 2000 and later guests". Read from the guest OS type (`ostype`); `null` (not reported) counts as unknown,
 * which is neither. @internal
 */
export function pageFusionGuest(osType: string | null): boolean | null {
  if (osType === null) return null;
  const s = osType.toLowerCase();
  if (!s.includes('windows')) return false;
  // Descriptions ("Windows NT 4") and type IDs ("WindowsNT4") of the Windows versions before 2000.
  return !/windows ?(3\.1|31|95|98|me|nt ?[34]|nt ?3\.x|nt3x)\b/u.test(s);
}

/**
 * Every reason why ONE `modifyvm` with these settings would fail, the VM's state told once: the default balloon's
 * host, size and state, or the state for large pages; and the Page Fusion host. @internal
 */
export function settingsBlockers(
  vm: VmInfo,
  settings: { readonly defaultBalloonMb?: number; readonly largePages?: boolean; readonly pageFusion?: boolean },
  host?: HostInfo,
): readonly (DefaultBalloonBlocker | PageFusionBlocker)[] {
  const fusion = settings.pageFusion === undefined ? [] : pageFusionBlockers(vm, host);
  if (settings.defaultBalloonMb !== undefined) return [...defaultBalloonBlockers(vm, settings.defaultBalloonMb, host), ...fusion.filter((b) => b.code === 'HOST_UNSUPPORTED')];
  if (settings.largePages !== undefined) return [...largePagesBlockers(vm), ...fusion.filter((b) => b.code === 'HOST_UNSUPPORTED')];
  return fusion;
}
