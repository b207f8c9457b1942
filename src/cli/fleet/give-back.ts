// `give-back` across hosts: the host is the one whose start record names the VM (looked up on every host in
// parallel); then the same give-back as on one host, under that host's lock.
import { applyGiveBack, fail } from '../give-back-apply.js';
import type { CommandContext } from '../command.js';
import { reportError } from '../report-error.js';
import { loadRooms, type RoomFile } from '../room-store.js';
import { DEFAULT_LOCK_TIMEOUT_MS, targetKey, withHostLocks } from '../take-turns.js';
import { safe } from '../text.js';
import type { FleetConnection, FleetMember } from './connect-fleet.js';

/** What the command line asked for. */
export interface FleetGiveBackSetup {
  readonly vm: string;
  readonly dir: string;
  readonly dryRun: boolean;
  readonly lockTimeoutMs: number | undefined;
}

/** `give-back VM` with several hosts: find the host from the start's record, and give back there. */
export async function fleetGiveBack(ctx: CommandContext, connectFleet: () => FleetConnection, s: FleetGiveBackSetup): Promise<number> {
  const conn = connectFleet();
  const seen = await Promise.all(conn.members.map(async (m) => ({ m, info: await m.connection.controller.client.showVmInfo(s.vm, { signal: ctx.interrupt }) })));
  const found: { m: FleetMember; name: string; rooms: RoomFile[] }[] = [];
  for (const { m, info } of seen) {
    if (info.isErr()) {
      if (info.error.code !== 'VM_NOT_FOUND') ctx.ui.warn(m.name, `not asked: ${info.error.message}`);
      continue;
    }
    const loaded = loadRooms(s.dir, info.value.uuid);
    if ('problem' in loaded) return fail(ctx, `${safe(info.value.name)}: ${loaded.problem}`, 'damaged' in loaded ? 'DAMAGED_RECORD' : 'NO_RECORD');
    const rooms = loaded.rooms.filter((r) => r.stored.host === m.target);
    if (rooms.length > 0) found.push({ m, name: safe(info.value.name), rooms });
  }
  const [only, second] = found;
  if (only === undefined) {
    const failed = seen.find(({ info }) => info.isErr() && info.error.code !== 'VM_NOT_FOUND');
    if (failed !== undefined && failed.info.isErr()) return reportError(ctx, failed.info.error);
    return fail(ctx, `${safe(s.vm)}: no record in ${s.dir} of a start on any of these hosts`);
  }
  if (second !== undefined) return fail(ctx, `${safe(s.vm)}: records name it on ${found.map((f) => f.m.name).join(' and ')}; pass that one host with --host`);
  const run = (): Promise<number> => applyGiveBack(ctx, only.m.connection.controller, only.name, only.rooms, s.dryRun);
  if (s.dryRun) return run();
  return withHostLocks(ctx, s.dir, [targetKey(only.m.target)], 'give-back', s.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, run);
}
