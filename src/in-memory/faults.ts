// Well-formed failures for the in-memory client's `failNext`: the same codes, fields and messages the real client
// gives in the same situation, built for the call they hit.
import { aborted, timeout, vboxManageFailed, vmLocked, type BalloonError } from '../errors/index.js';

/** A failure to inject with {@link InMemoryVBoxManageClient.failNext}, by name, built for the call it hits. */
export type InMemoryFault =
  /** The call ran past its time limit and was killed (`TIMEOUT`; outcome `unknown` for a change). */
  | 'timeout'
  /** The caller's signal stopped the call while it ran (`ABORTED`; outcome `unknown` for a change). */
  | 'aborted'
  /** Another session holds the VM's lock (`VM_LOCKED`, transient). */
  | 'locked'
  /** VBoxManage exited 1 with an error of its own (`VBOXMANAGE_FAILED`, nothing changed). */
  | 'failed'
  /** VBoxManage exited 0 but printed what it never prints on success (`VBOXMANAGE_FAILED`, outcome `unknown`). */
  | 'garbage'
  /** VBoxSVC is not running (`VBOXMANAGE_FAILED` with VirtualBox's own explanation). */
  | 'vboxsvc-down';

/** Options of a `failNext`. */
export interface FailNextOptions {
  /**
   * Make the change first, then fail: a change that happened although its call failed (a timeout after VirtualBox
   * applied it, an answer that could not be read). Default `false`: nothing changes.
   */
  readonly applied?: boolean;
}

/** @internal */
export function buildFault(fault: InMemoryFault, vm: string | null, argv: readonly string[]): BalloonError {
  const P = 'VBoxManage: error: ';
  switch (fault) {
    case 'timeout':
      return timeout(vm, argv, 60_000);
    case 'aborted':
      return aborted(vm, argv);
    case 'locked':
      return vmLocked(vm, 'VBOX_E_INVALID_OBJECT_STATE', `${P}The machine '${vm ?? ''}' is already locked for a session (or being unlocked)\n`);
    case 'failed':
      return vboxManageFailed(vm, argv, 1, `${P}Something went wrong\n${P}Details: code NS_ERROR_FAILURE (0x80004005), component Fake, interface IFake\n`, 'E_FAIL');
    case 'garbage':
      return vboxManageFailed(vm, argv, 0, '', null, false, 'it exited 0 but printed output that VBoxManage does not print on success', 'unknown');
    case 'vboxsvc-down':
      return vboxManageFailed(
        vm,
        argv,
        1,
        `${P}Failed to create the VirtualBox object!\n${P}The object functionality is limited\n${P}Most likely, the VirtualBox COM server is not running or failed to start.\n`,
        null,
        true,
        'Failed to create the VirtualBox object!',
      );
  }
}
