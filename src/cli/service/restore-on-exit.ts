// --on-exit restore: when the service stops, each balloon the autopilot changed is put back to where it found it
// (kept in the state file across restarts, so a restart does not move that mark). Only VMs still running with the
// size the autopilot last asked for: a VM restarted since has its default again, and one someone else set is theirs.
import type { Connection } from '../connect.js';
import type { HostLoop } from './host-loop.js';
import type { ServiceLog } from './service-log.js';

/** Put back what the autopilot changed on one host; every change and failure is one log line. */
export async function restoreOnExit(loop: HostLoop, connection: Connection, log: ServiceLog, host: string | null): Promise<void> {
  const vms = { ...loop.state.vms };
  for (const [uuid, v] of Object.entries(loop.state.vms)) {
    if (v.beforeMb === null || v.beforeMb === v.askedMb) continue;
    const vm = { uuid, name: v.name };
    const info = await connection.controller.inspect(uuid);
    if (info.isErr()) {
      log.warn(`${v.name}: not put back to ${v.beforeMb} MB (${info.error.message})`, { event: 'restore', host, vm, code: info.error.code });
      continue;
    }
    const { state, balloon } = info.value;
    if (state !== 'running' && state !== 'paused') {
      log.info(`${v.name}: not running, so its live balloon is gone; nothing to put back`, { event: 'restore', host, vm });
      continue;
    }
    if (balloon.requestedMb !== v.askedMb) {
      log.info(`${v.name}: left at ${balloon.requestedMb} MB, not put back: its balloon was set by someone else since`, { event: 'restore', host, vm });
      continue;
    }
    const r = await connection.controller.setBalloon(uuid, v.beforeMb);
    if (r.isErr()) {
      log.error(`${v.name}: not put back to ${v.beforeMb} MB: ${r.error.message}`, { event: 'restore', host, vm, code: r.error.code });
      continue;
    }
    log.info(`${v.name}: balloon put back ${v.askedMb} -> ${v.beforeMb} MB`, { event: 'restore', host, vm });
    vms[uuid] = { ...v, askedMb: v.beforeMb, beforeMb: null };
  }
  loop.setState({ vms });
}
