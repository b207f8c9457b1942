import type { Command, CommandContext } from '../command.js';
import { fleetGiveBack } from '../fleet/give-back.js';
import { boolFlag, stringFlag } from '../parse-command-line.js';
import { reportError } from '../report-error.js';
import { applyGiveBack, fail } from '../give-back-apply.js';
import { loadRooms, mergeRooms } from '../room-store.js';
import { safe } from '../text.js';
import { DEFAULT_LOCK_TIMEOUT_MS, hostLabel, recordsDir, withHostLock } from '../take-turns.js';
import { isUsage, optionalDuration } from '../sizes.js';

export const giveBack: Command = {
  name: 'give-back',
  summary: "After a VM started with --make-room stops, deflate the balloons inflated for it",
  usage: 'vbox-balloon give-back VM [--delete] [--dry-run] [--force] [--state-dir DIR] [--lock-timeout DURATION] [--hosts FILE|--host TARGET...]',
  acrossHosts: true,
  flags: { 'dry-run': { type: 'boolean' }, force: { type: 'boolean' }, delete: { type: 'boolean' }, 'state-dir': { type: 'string' }, 'lock-timeout': { type: 'string' } },
  help: `Reads what 'vbox-balloon start VM --make-room' took for VM from the state directory and deflates
each of those balloons back to what it asked for before. A balloon someone (a user, the autopilot)
has set since is left alone: it is theirs now. Refused while VM still runs (exit 3), unless --force.
Exit 8 when some balloon could not be deflated (the record is kept, run it again).
With several hosts (--hosts FILE), the host is the one the start's record names.

Flags:
  --delete           Also remove VM (unregistervm --delete): only a clone made by 'start --clone-from',
                     and only once it is off (refused while it runs, --force or not)
  --dry-run          Print what would be deflated, change nothing
  --force            Give back although VM still runs
  --state-dir DIR    Where 'start --make-room' kept the record (same default as there)
  --lock-timeout DURATION
                     How long to wait for a start or give-back on the same host (default 5m)

Examples:
  vbox-balloon give-back build-7
  vbox-balloon give-back build-7 --dry-run --json

Output:
  web-1: live balloon 5680 MB -> 0 MB
  left alone: web-2: its balloon was changed since (it asks for 1024 MB, the room set 592 MB)`,
  async run(ctx) {
    const [vm, ...more] = ctx.args.positionals;
    if (vm === undefined) return ctx.usage('missing VM');
    if (more.length > 0) return ctx.usage(`unexpected argument ${JSON.stringify(more[0])} (one VM at a time)`);
    const dryRun = boolFlag(ctx.args, 'dry-run');
    const lockTimeout = optionalDuration(ctx, stringFlag(ctx.args, 'lock-timeout'), 'lock-timeout');
    if (isUsage(lockTimeout)) return lockTimeout;
    const dir = recordsDir(ctx, ctx.stateDir);
    if (ctx.fleet !== null) return fleetGiveBack(ctx, ctx.fleet, { vm, dir, dryRun, lockTimeoutMs: lockTimeout });
    if (dryRun) return giveBackRoom(ctx, vm, dir, true);
    // Give-backs and starts on one host take turns: a start in flight never sees its balloons deflated under it.
    return withHostLock(ctx, dir, 'give-back', lockTimeout ?? DEFAULT_LOCK_TIMEOUT_MS, () => giveBackRoom(ctx, vm, dir, false));
  },
};

async function giveBackRoom(ctx: CommandContext, vm: string, dir: string, dryRun: boolean): Promise<number> {
  const { controller } = ctx.connect();
  const info = await controller.client.showVmInfo(vm, { signal: ctx.interrupt });
  if (info.isErr()) return reportError(ctx, info.error);
  const name = safe(info.value.name);
  const loaded = loadRooms(dir, info.value.uuid);
  if ('problem' in loaded) return fail(ctx, `${name}: ${loaded.problem}`, 'damaged' in loaded ? 'DAMAGED_RECORD' : 'NO_RECORD');
  const { rooms } = loaded;
  const record = mergeRooms(rooms.map((room) => room.stored.record));
  if (record === null) return fail(ctx, `${name}: no record in ${dir} of memory taken for it: it was not started with 'vbox-balloon start VM --make-room' with this state directory`);
  const host = hostLabel(ctx);
  const elsewhere = rooms.find((room) => room.stored.host !== host);
  if (elsewhere !== undefined) {
    return fail(ctx, `${name}: the record in ${elsewhere.file} is about host ${JSON.stringify(elsewhere.stored.host)}, not ${JSON.stringify(host)}; pass the same --host as for the start`);
  }
  return applyGiveBack(ctx, controller, name, rooms, dryRun);
}
