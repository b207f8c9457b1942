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
