// The CLI's exit codes. They are part of its interface (docs/cli.md): never renumber one.
import type { BalloonErrorCode } from '../index.js';

/** Every exit code the CLI uses. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** Any failure not listed below (for example VM_NOT_FOUND is 7, PARSE_ERROR is 4). */
  error: 1,
  /** The command line was wrong: unknown command or flag, bad size or duration, missing argument. Nothing ran. */
  usage: 2,
  /** VirtualBox's rules refuse the change (BLOCKED, INVALID_BALLOON_SIZE, INVALID_VM_STATE, …). Nothing changed. */
  refused: 3,
  /** VBoxManage failed, could not be found, was locked out, or printed something unreadable. */
  vboxmanage: 4,
  /** A VBoxManage call took too long and was killed. */
  timeout: 5,
  /** `set --wait` ended (time ran out, or Ctrl-C) before the guest reached the balloon. The change WAS made. */
  notReached: 6,
  /** No registered VM has that name or UUID. */
  notFound: 7,
  /** A change over several VMs was made only in part (APPLY_FAILED, or `restore` with failures). */
  partial: 8,
  /** The remote host could not be reached or used over ssh (SSH_FAILED). */
  ssh: 9,
  /** Interrupted by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

/** The exit code for an SDK error. */
export function exitCodeFor(code: BalloonErrorCode): number {
  switch (code) {
    case 'INVALID_ARGUMENT':
      return EXIT.usage;
    case 'BLOCKED':
    case 'INVALID_BALLOON_SIZE':
    case 'INVALID_VM_STATE':
    case 'LARGE_PAGES_ENABLED':
    case 'GUEST_ADDITIONS_NOT_RUNNING':
    case 'HOST_UNSUPPORTED':
    case 'RECLAIM_SHORTFALL':
    case 'NO_ROOM':
    case 'NO_HOST':
    case 'VM_EXISTS':
      return EXIT.refused;
    case 'VBOXMANAGE_FAILED':
    case 'VBOXMANAGE_NOT_FOUND':
    case 'VM_LOCKED':
    case 'PARSE_ERROR':
      return EXIT.vboxmanage;
    case 'TIMEOUT':
    case 'ROOM_NOT_READY':
      return EXIT.timeout;
    case 'VM_NOT_FOUND':
    case 'SNAPSHOT_NOT_FOUND':
      return EXIT.notFound;
    case 'APPLY_FAILED':
      return EXIT.partial;
    case 'ABORTED':
      return EXIT.interrupted;
    case 'SSH_FAILED':
      return EXIT.ssh;
    case 'AUTOPILOT_RUNNING':
      return EXIT.error;
  }
}
