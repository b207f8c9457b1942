import type { Command, CommandContext } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { boolFlag, stringFlag } from '../parse-command-line.js';
import { reportError } from '../report-error.js';
import { dropRoom, loadRooms, mergeRooms } from '../room-store.js';
import { stateDir } from '../state-dir.js';
import { safe, safeLine } from '../text.js';
import { DEFAULT_LOCK_TIMEOUT_MS, hostLabel, recordsDir, withHostLock } from '../take-turns.js';
import { isUsage, optionalDuration } from '../sizes.js';

// A failure of the CLI's own (no SDK error): the message on stderr, and {"error": …} on stdout with --json.
function fail(ctx: CommandContext, message: string, code: 'NO_RECORD' | 'DAMAGED_RECORD' = 'NO_RECORD'): number {
  if (ctx.ui.json) ctx.ui.printJson({ error: { code, message } });
  ctx.ui.writeErr(`error: ${safeLine(message)}\n`);
  return EXIT.error;
}

export const giveBack: Command = {
  name: 'give-back',
  summary: "After a VM started with --make-room stops, deflate the balloons inflated for it",
  usage: 'vbox-balloon give-back VM [--dry-run] [--force] [--state-dir DIR] [--lock-timeout DURATION]',
  flags: { 'dry-run': { type: 'boolean' }, force: { type: 'boolean' }, 'state-dir': { type: 'string' }, 'lock-timeout': { type: 'string' } },
  help: `Reads what 'vbox-balloon start VM --make-room' took for VM from the state directory and deflates
each of those balloons back to what it asked for before. A balloon someone (a user, the autopilot)
has set since is left alone: it is theirs now. Refused while VM still runs (exit 3), unless --force.
Exit 8 when some balloon could not be deflated (the record is kept, run it again).

Flags:
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
    const dir = recordsDir(ctx, stateDir(stringFlag(ctx.args, 'state-dir')));
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
  if (rooms.length > 1) ctx.ui.note(`${name} was started with room ${rooms.length} times: giving back what every start took (${rooms.map((room) => room.file).join(', ')}).`);
  const r = await controller.giveBack(record, { dryRun, force: boolFlag(ctx.args, 'force'), signal: ctx.interrupt });
  if (r.isErr()) return reportError(ctx, r.error);
  const g = r.value;
  const done = !dryRun && g.failed.length === 0 && !g.aborted;
  if (done) for (const room of rooms) dropRoom(room.file);
  const files = rooms.map((room) => room.file);
  if (ctx.ui.json) ctx.ui.printJson({ ...g, recordFile: files[0], recordFiles: files, recordKept: !done });
  else {
    if (!ctx.ui.quiet || dryRun) {
      for (const c of g.changes) ctx.ui.print(`${safe(c.vm)}: live balloon ${c.fromMb} MB -> ${c.toMb} MB${dryRun ? ' (dry run)' : ''}`);
      for (const s of g.skipped) ctx.ui.print(`left alone: ${safe(s.vm)}: ${safeLine(s.reason)}`);
      if (g.changes.length === 0 && g.skipped.length === 0) ctx.ui.print('Nothing to give back.');
    }
    for (const f of g.failed) ctx.ui.error(f.error);
  }
  return g.failed.length === 0 && !g.aborted ? EXIT.ok : g.aborted ? EXIT.interrupted : EXIT.partial;
}
