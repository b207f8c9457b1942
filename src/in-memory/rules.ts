// VirtualBox's rules for the simulated host, as pure refusals: each takes a VM and what it needs of the host, and
// returns the error VirtualBox would give (with the same code as the real client), or null when the call may go on.
import {
  hostUnsupported,
  invalidBalloonSize,
  invalidVmState,
  snapshotNotFound,
  vboxManageFailed,
  vmExists,
  vmLocked,
  type BalloonError,
} from '../errors/index.js';
import { maxBalloonMb } from '../domain/balloon-size.js';
import { hostSupport, pageFusionHostSupport, type HostInfo } from '../domain/host.js';
import { LIVE_BALLOON_STATES, MUTABLE_STATES, STARTABLE_STATES } from '../domain/vm-state.js';
import { settingsOnRunningVm } from '../port/classify-failure.js';
import type { ModifyVmSettings } from '../port/client.js';
import { stillRunning } from '../port/clone-vm.js';
import { alreadyRunning } from '../port/start-vm.js';
import { online, type SimVm } from './model.js';

function locked(vm: string): BalloonError {
  return vmLocked(vm, 'VBOX_E_INVALID_OBJECT_STATE', `VBoxManage: error: The machine '${vm}' is already locked for a session (or being unlocked)\n`);
}

/** Ballooning on this host at all, then VirtualBox's own size limit for the VM (see `maxBalloonMb`). @internal */
export function hostAndSizeRefusal(vm: string, v: SimVm, host: HostInfo, sizeMb: number): BalloonError | null {
  const supported = hostSupport(host);
  if (supported.isErr()) return hostUnsupported(supported.error.os, supported.error.reason, vm);
  const limit = maxBalloonMb(v.memoryMb) + 1;
  if (sizeMb >= limit) {
    return invalidBalloonSize(sizeMb, `was refused by VirtualBox (it must be below ${limit})`, { maxMb: limit - 1, memoryMb: v.memoryMb }, vm);
  }
  return null;
}

/** `controlvm guestmemoryballoon`: a console first (running or paused), then the host, the size. @internal */
export function liveBalloonRefusal(vm: string, v: SimVm, host: HostInfo, sizeMb: number): BalloonError | null {
  if (v.locked && !online(v)) return locked(vm);
  // controlvm needs a console first; only then does the setter check the host, the size and the state.
  if (!online(v)) return invalidVmState(vm, v.state, LIVE_BALLOON_STATES, 'live balloon change', 'Start the VM first, or set the default balloon while it is off.');
  return hostAndSizeRefusal(vm, v, host, sizeMb);
}

/** `modifyvm`: the lock of a running VM, another session's lock, then each option in argv order. @internal */
export function modifyRefusal(vm: string, v: SimVm, host: HostInfo, s: ModifyVmSettings): BalloonError | null {
  // A running VM's process holds the write lock: VirtualBox answers "already locked" before anything else.
  // The real client tells that case apart with one showvminfo: the VM must be powered off, no retry helps.
  if (online(v)) return settingsOnRunningVm(vm, v.state);
  if (v.locked) return locked(vm);
  const mutable = MUTABLE_STATES.includes(v.state);
  const fix = 'Power the VM off first; a saved VM must be started and shut down.';
  // Options apply in argv order and nothing is saved unless all succeed.
  if (s.defaultBalloonMb !== undefined) {
    const blocked = hostAndSizeRefusal(vm, v, host, s.defaultBalloonMb);
    if (blocked !== null) return blocked;
    if (!mutable) return invalidVmState(vm, v.state, MUTABLE_STATES, 'settings change', fix);
  }
  if (s.largePages !== undefined && !mutable) return invalidVmState(vm, v.state, MUTABLE_STATES, 'settings change', fix);
  if (s.pageFusion !== undefined) {
    // VirtualBox built without page sharing (macOS, 32-bit) refuses even "off", before the state.
    const pf = pageFusionHostSupport(host);
    if (pf.isErr()) return hostUnsupported(pf.error.os, pf.error.reason, vm, 'page fusion');
    if (!mutable) return invalidVmState(vm, v.state, MUTABLE_STATES, 'settings change', fix);
  }
  return null;
}

/**
 * `startvm`: a VM that is off, saved or aborted, not locked, whose whole RAM VirtualBox can back (`freeMb`, see
 * `vboxFreeMb`). Out of memory fails as a real start does ("terminated unexpectedly during startup"). @internal
 */
export function startRefusal(vm: string, v: SimVm, argv: readonly string[], freeMb: number): BalloonError | null {
  if (online(v)) return alreadyRunning(vm, v.state);
  if (v.locked) return locked(vm);
  if (!STARTABLE_STATES.includes(v.state)) return invalidVmState(vm, v.state, STARTABLE_STATES, 'start', 'Wait until the VM is off, saved or aborted, then start it.');
  if (v.memoryMb > freeMb) {
    const stderr = `VBoxManage: error: The virtual machine '${v.name}' has terminated unexpectedly during startup with exit code 1 (0x1)\nVBoxManage: error: Details: code NS_ERROR_FAILURE (0x80004005), component MachineWrap, interface IMachine\n`;
    return vboxManageFailed(vm, argv, 1, stderr, 'NS_ERROR_FAILURE', false, `the VM needs ${v.memoryMb} MB and VirtualBox could back only ${freeMb} MB: the VM was not started`);
  }
  return null;
}

/**
 * `clonevm BASE --snapshot S --options link --name N --register`: the snapshot first (FindSnapshot, by name or UUID),
 * then the name (CreateMachine finds the settings file of a VM of that name, registered or left behind). A base that
 * runs is fine: the clone is made from the snapshot, which does not change. @internal
 */
export function cloneRefusal(base: string, v: SimVm, snapshot: string, name: string, files: ReadonlySet<string>): BalloonError | null {
  const names = v.snapshots.map((s) => s.name);
  const key = snapshot.replace(/[{}]/gu, '').toLowerCase();
  if (!v.snapshots.some((s) => s.name === snapshot || s.uuid === key)) return snapshotNotFound(base, snapshot, names);
  if (files.has(name)) return vmExists(name, `/home/user/VirtualBox VMs/${name}/${name}.vbox`, base);
  return null;
}

/** `unregistervm`: a VM whose own session or another session holds its lock is refused. @internal */
export function unregisterRefusal(vm: string, v: SimVm): BalloonError | null {
  if (online(v)) return stillRunning(vm, v.state);
  if (v.locked) return vmLocked(vm, 'VBOX_E_INVALID_OBJECT_STATE', `VBoxManage: error: Cannot unregister the machine '${v.name}' while it is locked\n`);
  return null;
}
