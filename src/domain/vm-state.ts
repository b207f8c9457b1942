/**
 * Every `VMState` value that `VBoxManage showvminfo --machinereadable` prints (6.1 to 7.1), plus `unknown`
 * for anything else (7.x can even print a translated "unknown").
 */
export type VmState =
  | 'poweroff'
  | 'saved'
  | 'aborted-saved'
  | 'teleported'
  | 'aborted'
  | 'running'
  | 'paused'
  | 'gurumeditation'
  | 'teleporting'
  | 'livesnapshotting'
  | 'starting'
  | 'stopping'
  | 'saving'
  | 'restoring'
  | 'teleportingpausedvm'
  | 'teleportingin'
  | 'deletingsnapshotlive'
  | 'deletingsnapshotlivepaused'
  | 'onlinesnapshotting'
  | 'restoringsnapshot'
  | 'deletingsnapshot'
  | 'settingup'
  | 'snapshotting'
  | 'unknown';

/** All {@link VmState} values. */
export const VM_STATES: readonly VmState[] = [
  'poweroff',
  'saved',
  'aborted-saved',
  'teleported',
  'aborted',
  'running',
  'paused',
  'gurumeditation',
  'teleporting',
  'livesnapshotting',
  'starting',
  'stopping',
  'saving',
  'restoring',
  'teleportingpausedvm',
  'teleportingin',
  'deletingsnapshotlive',
  'deletingsnapshotlivepaused',
  'onlinesnapshotting',
  'restoringsnapshot',
  'deletingsnapshot',
  'settingup',
  'snapshotting',
  'unknown',
];

const KNOWN = new Set<string>(VM_STATES);

/** Map a `VMState` string to a {@link VmState}; anything unrecognised becomes `unknown` rather than an error. */
export function toVmState(value: string): VmState {
  const v = value.trim().toLowerCase();
  return KNOWN.has(v) ? (v as VmState) : 'unknown';
}

/** States in which `controlvm … guestmemoryballoon` works: the VM has a console. */
export const LIVE_BALLOON_STATES: readonly VmState[] = ['running', 'paused'];

/** States from which `startvm` starts a VM: off, saved (it resumes from its saved state), aborted or teleported away. */
export const STARTABLE_STATES: readonly VmState[] = ['poweroff', 'saved', 'aborted-saved', 'aborted', 'teleported'];

/** States in which `modifyvm` can change settings (VirtualBox's MutableStateDep). */
export const MUTABLE_STATES: readonly VmState[] = ['poweroff', 'aborted', 'teleported'];

// Words for states are needed by error messages, a floor below: they live in src/errors/.
export { stateInWords } from '../errors/state-words.js';

/**
 * How much host memory a VM in a state may hold, as the host-memory model counts it (see docs/concepts.md):
 * - `guest`: the VM runs (running, paused): VirtualBox backs its RAM minus the balloon its guest has inflated; a VM
 *   that cannot balloon (large pages on, no Guest Additions, no guest statistics) counts with all of its RAM;
 * - `all`: the VM process exists but the SDK reads no balloon for it (it is starting, stopping, saving, restoring,
 *   teleporting, snapshotting while online, stuck in a Guru Meditation, or in a state this SDK does not know): it may
 *   hold all of its RAM, so all of it counts (conservative);
 * - `none`: no VM process (powered off, saved, aborted, teleported away, or an offline snapshot or setup operation).
 */
export type StateMemory = 'guest' | 'all' | 'none';

/** {@link StateMemory} of every {@link VmState}. */
export const STATE_MEMORY: Readonly<Record<VmState, StateMemory>> = {
  poweroff: 'none',
  saved: 'none', // the RAM is in the saved-state file
  'aborted-saved': 'none',
  teleported: 'none', // it runs on another host now
  aborted: 'none',
  running: 'guest',
  paused: 'guest', // the balloon stays inflated while paused
  gurumeditation: 'all', // the VM process keeps its memory until the VM is powered off
  teleporting: 'all', // runs while its memory is copied away
  livesnapshotting: 'all',
  starting: 'all', // the memory is being allocated
  stopping: 'all', // until the VM process ends
  saving: 'all',
  restoring: 'all',
  teleportingpausedvm: 'all',
  teleportingin: 'all', // the memory is arriving
  deletingsnapshotlive: 'all',
  deletingsnapshotlivepaused: 'all',
  onlinesnapshotting: 'all',
  restoringsnapshot: 'none', // offline: the VM is off while a snapshot is restored
  deletingsnapshot: 'none',
  settingup: 'none',
  snapshotting: 'none',
  unknown: 'all', // conservative
};
