// Errors are data: switch on `code`. This switch is exhaustive, so it stops compiling when a code is added.
//   npx tsx examples/handle-errors.ts
import { BalloonController, type BalloonError } from 'vbox-balloon';
import { demoHost } from './lib/demo-host.js';

function advice(e: BalloonError): string {
  switch (e.code) {
    case 'HOST_UNSUPPORTED':
      return `move the VMs to a 64-bit Windows, Linux, Solaris or FreeBSD host (${e.os})`;
    case 'INVALID_ARGUMENT':
      return `fix the ${e.argument} argument (got ${e.received})`;
    case 'INVALID_BALLOON_SIZE':
      return `pick a size from 0 to ${e.maxMb ?? '?'} MB`;
    case 'VM_NOT_FOUND':
      return 'check the name with VBoxManage list vms';
    case 'INVALID_VM_STATE':
      return `the VM is ${e.state}; it must be ${e.allowedStates.join(' or ')}`;
    case 'LARGE_PAGES_ENABLED':
      return 'power it off and call disableLargePages';
    case 'GUEST_ADDITIONS_NOT_RUNNING':
      return 'install or start the Guest Additions';
    case 'VM_LOCKED':
      return e.transient ? 'try again in a moment' : 'close the other session';
    case 'VBOXMANAGE_NOT_FOUND':
      return 'install VirtualBox or set VBOXMANAGE_PATH';
    case 'VBOXMANAGE_FAILED':
      return `read stderr (${e.vboxCode ?? `exit ${e.exitCode ?? '?'}`})`;
    case 'TIMEOUT':
      return `VBoxSVC may be stuck; raise timeoutMs (${e.timeoutMs} ms)`;
    case 'ABORTED':
      return e.outcome === 'unknown' ? 'call inspect: the change may have been made' : 'nothing to do: you asked to stop';
    case 'PARSE_ERROR':
      return `report the ${e.source} output`;
    case 'BLOCKED':
      return `fix all of: ${e.blockers.map((b) => b.code).join(', ')}`;
    case 'RECLAIM_SHORTFALL':
      return `ask for at most ${e.reclaimableMb} MB`;
    case 'APPLY_FAILED':
      return `${e.restored.length} VMs were put back; see the cause (${e.cause.code})`;
    case 'AUTOPILOT_RUNNING':
      return 'stop the running autopilot first';
    case 'SSH_FAILED':
      return `fix the ssh connection to ${e.host} (${e.kind})`;
    case 'NO_ROOM':
      return `${e.missingMb} MB are missing: raise the budget or shut a VM down`;
    case 'ROOM_NOT_READY':
      return `the guests freed ${e.freedMb} of ${e.neededMb} MB; wait longer`;
    case 'VM_EXISTS':
      return `pick another name than ${e.name}`;
    case 'SNAPSHOT_NOT_FOUND':
      return `name a snapshot the base has (${e.snapshots.join(', ') || 'none yet'})`;
    case 'NO_HOST':
      return e.refusals.map((r) => `${r.host}: ${r.reason}`).join('; ');
    default: {
      const unhandled: never = e;
      return unhandled;
    }
  }
}

const controller = new BalloonController({ client: demoHost() });
const attempts = [
  controller.setBalloon('ghost', 100),
  controller.setBalloon('web-1', 99_999),
  controller.setBalloon('db-1', 100),
  controller.setBalloon('--help', 100),
  controller.setDefaultBalloon('web-1', 100),
  controller.reclaim({ megabytes: 1_000_000 }),
];
for (const result of await Promise.all(attempts)) {
  if (result.isErr()) console.log(`${result.error.code}: ${advice(result.error)}\n  ${result.error.message}`);
}
