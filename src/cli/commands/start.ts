import type { RoomTaken, StartVmType, StartWithRoomOptions } from '../../index.js';
import type { Command, CommandContext } from '../command.js';
import { cliText } from '../error-words.js';
import { EXIT } from '../exit-codes.js';
import { boolFlag, stringFlag, stringList } from '../parse-command-line.js';
import { reportError } from '../report-error.js';
import { liveBalloonsLeft } from '../last-words.js';
import { saveRoom } from '../room-store.js';
import { stateDir } from '../state-dir.js';
import { DEFAULT_LOCK_TIMEOUT_MS, hostLabel, recordsDir, withHostLock } from '../take-turns.js';
import { budgetFlag, isUsage, optionalDuration, optionalMb } from '../sizes.js';
import { commandLine, safe, safeLine } from '../text.js';
import type { UsageError } from '../usage-error.js';

const TYPES: readonly string[] = ['headless', 'gui', 'sdl', 'separate'];

function roomOptions(ctx: CommandContext): StartWithRoomOptions | UsageError {
  const budget = budgetFlag(ctx, stringFlag(ctx.args, 'budget'));
  if (isUsage(budget)) return budget;
  const o: Record<string, unknown> = { ...budget };
  for (const [flag, key] of [['keep-free', 'keepGuestFreeMb'], ['overhead', 'overheadMb']] as const) {
    const n = optionalMb(ctx, stringFlag(ctx.args, flag), flag);
    if (isUsage(n)) return n;
    if (n !== undefined) o[key] = n;
  }
  const wait = optionalDuration(ctx, stringFlag(ctx.args, 'wait-timeout'), 'wait-timeout');
  if (isUsage(wait)) return wait;
  if (wait !== undefined) o['waitTimeoutMs'] = wait;
  const from = stringList(ctx.args, 'from');
  if (from.length > 0) o['from'] = from;
  return o;
}

export const start: Command = {
  name: 'start',
  summary: 'Start a VM; with --make-room, inflate balloons of running VMs first so that it fits',
  usage: 'vbox-balloon start VM [--make-room [--dry-run] [--budget SIZE|PERCENT] [--keep-free SIZE] [--from VM...]] [--type TYPE]',
  flags: {
    'make-room': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    type: { type: 'string' },
    budget: { type: 'string' },
    'keep-free': { type: 'string' },
    overhead: { type: 'string' },
    from: { type: 'string', multiple: true },
    'wait-timeout': { type: 'string' },
    'state-dir': { type: 'string' },
    'lock-timeout': { type: 'string' },
  },
  help: `Starts a VM that is off, saved or aborted (startvm --type headless).

With --make-room, first works out what the start needs (its RAM plus VirtualBox's overhead), what
the budget has left without ballooning, and which running guests' balloons give the rest, most free
guest first; then inflates them, waits until they have freed enough, and starts the VM. If anything
fails or you press Ctrl-C, the balloons are put back (exit 8, the error says what was undone). If it
cannot fit, nothing changes and the error says how much is missing (exit 3). What was taken is kept
in the state directory for 'vbox-balloon give-back VM'. See docs/make-room.md.

Flags:
  --make-room        Make room with balloons before the start
  --dry-run          With --make-room: print the plan, change and start nothing
  --type TYPE        headless (default), gui, sdl or separate
  --budget SIZE|PERCENT
                     The memory the running guests may be backed with (default 80% of host RAM)
  --keep-free SIZE   Free memory every giving guest keeps (default 256M)
  --overhead SIZE    VirtualBox's memory for the VM beyond its RAM (default 128M plus its video memory)
  --from VM          Only these running VMs give (repeat the flag); default every running VM
  --wait-timeout DURATION
                     How long the balloons may take to free the memory (default 2m)
  --state-dir DIR    Where the record for give-back is kept (default $VBOX_BALLOON_STATE_DIR,
                     else $XDG_STATE_HOME/vbox-balloon, else ~/.local/state/vbox-balloon)
  --lock-timeout DURATION
                     How long to wait for another start or give-back on the same host that uses
                     the same state directory (default 5m); they take turns

Examples:
  vbox-balloon start build-7 --make-room --dry-run
  vbox-balloon start build-7 --make-room --keep-free 512M --budget 90%

Output:
  build-7 needs 6272 MB: 6144 MB of RAM and 128 MB of VirtualBox overhead (estimated: 128 MB; set overheadMb).
  The budget is 19660 MB; the 3 guests that hold memory are backed with 20480 MB, so they are 820 MB over it and 0 MB are left without ballooning.
  The rest, 6272 MB, comes from balloons, most-free guests first, each keeping 512 MB free:
  web-1 gives 5680 MB (it has 6192 MB free; balloon 0 -> 5680 MB).
  web-2 gives 592 MB (it has 5192 MB free; balloon 0 -> 592 MB).
  Started build-7 (running) after inflating 2 balloons; 'vbox-balloon give-back build-7' once it stops.`,
  async run(ctx) {
    const [vm, ...more] = ctx.args.positionals;
    if (vm === undefined) return ctx.usage('missing VM');
    if (more.length > 0) return ctx.usage(`unexpected argument ${JSON.stringify(more[0])} (one VM at a time)`);
    const type = stringFlag(ctx.args, 'type') ?? 'headless';
    if (!TYPES.includes(type)) return ctx.usage(`--type ${JSON.stringify(type)} is not a start type; use headless, gui, sdl or separate`);
    const makeRoom = boolFlag(ctx.args, 'make-room');
    const dryRun = boolFlag(ctx.args, 'dry-run');
    const options = roomOptions(ctx);
    if (isUsage(options)) return options;
    const lockTimeout = optionalDuration(ctx, stringFlag(ctx.args, 'lock-timeout'), 'lock-timeout');
    if (isUsage(lockTimeout)) return lockTimeout;
    const roomFlags = ['dry-run', 'budget', 'keep-free', 'overhead', 'from', 'wait-timeout', 'lock-timeout'].filter((f) => ctx.args.values[f] !== undefined && ctx.args.values[f] !== false);
    if (!makeRoom && roomFlags.length > 0) return ctx.usage(`--${roomFlags[0] ?? ''} only applies with --make-room`);
    if (!makeRoom) {
      const { controller } = ctx.connect();
      // A plain start: resolve once, start by UUID.
      const info = await controller.client.showVmInfo(vm, { signal: ctx.interrupt });
      if (info.isErr()) return reportError(ctx, info.error);
      const started = await controller.client.startVm(info.value.uuid, { type: type as StartVmType, signal: ctx.interrupt });
      if (started.isErr()) return reportError(ctx, started.error);
      if (ctx.ui.json) ctx.ui.printJson({ vm: info.value.name, uuid: info.value.uuid, started: true });
      else if (!ctx.ui.quiet) ctx.ui.print(`Started ${safe(info.value.name)}.`);
      return EXIT.ok;
    }
    const dir = recordsDir(ctx, stateDir(stringFlag(ctx.args, 'state-dir')));
    if (dryRun) return startWithRoom(ctx, vm, { ...options, type: type as StartVmType, dryRun }, dir);
    // Starts and give-backs on one host take turns: each plans from what the one before it left.
    return withHostLock(ctx, dir, 'start', lockTimeout ?? DEFAULT_LOCK_TIMEOUT_MS, () => startWithRoom(ctx, vm, { ...options, type: type as StartVmType, dryRun }, dir));
  },
};

async function startWithRoom(ctx: CommandContext, vm: string, options: StartWithRoomOptions, dir: string): Promise<number> {
  const conn = ctx.connect();
  const { controller } = conn;
  // Resolve once: the record (also one kept on a second Ctrl-C) is named after the UUID, and the start acts by it.
  const info = await controller.client.showVmInfo(vm, { signal: ctx.interrupt });
  if (info.isErr()) return reportError(ctx, info.error);
  const target = { vm: info.value.name, uuid: info.value.uuid };
  const keep = options.dryRun === true ? () => undefined : ctx.onExit(() => {
    keepWhatIsLeft(ctx, dir, target, liveBalloonsLeft(conn.changes));
  });
  const result = await controller.startWithRoom(target.uuid, { ...options, signal: ctx.interrupt });
  keep();
  if (result.isErr()) return reportError(ctx, result.error);
  const r = result.value;
  const saved = r.dryRun || r.room.taken.length === 0 ? null : saveRoom(dir, { host: hostLabel(ctx), record: r.room });
  if (saved !== null && 'problem' in saved) ctx.ui.warn(r.vm, `the record for give-back could not be written (${saved.problem}); keep this output: ${JSON.stringify(r.room)}`);
  if (saved !== null && 'file' in saved && saved.earlier > 0) {
    ctx.ui.note(`${safe(r.vm)} already had ${saved.earlier === 1 ? 'a record' : `${saved.earlier} records`} of memory taken for an earlier start: kept too; 'vbox-balloon give-back ${safe(r.vm)}' gives back what every start took.`);
  }
  if (ctx.ui.json) {
    ctx.ui.printJson({ ...r, ...(saved !== null && 'file' in saved ? { recordFile: saved.file } : {}) });
    return EXIT.ok;
  }
  if (!ctx.ui.quiet || r.dryRun) for (const line of r.plan.explanation) ctx.ui.print(safeLine(cliText(line, r.plan.fixes)));
  if (r.dryRun) {
    ctx.ui.print(`Would run (dry run, nothing changed):\n${r.plan.commands.map((c) => `  ${commandLine(c)}`).join('\n')}`);
    return EXIT.ok;
  }
  const took = r.changes.length === 0 ? 'without ballooning' : `after inflating ${r.changes.length} balloon${r.changes.length === 1 ? '' : 's'}; 'vbox-balloon give-back ${safe(r.vm)}' once it stops`;
  ctx.ui.print(`Started ${safe(r.vm)} (${r.state}) ${took}.`);
  if (r.interrupted !== null) ctx.ui.warn(r.vm, `the start was cut short (${r.interrupted.code}) but the VM runs`);
  return EXIT.ok;
}

// Ended at once (a second Ctrl-C) while balloons were inflated or being put back: say which are still inflated and
// keep them as a record, so that 'give-back' can finish the rollback.
function keepWhatIsLeft(ctx: CommandContext, dir: string, target: { vm: string; uuid: string }, left: RoomTaken[]): void {
  if (left.length === 0) {
    ctx.ui.failure(`stopped at once during the start of ${safe(target.vm)}; no balloon was left inflated for it`);
    return;
  }
  const saved = saveRoom(dir, { host: hostLabel(ctx), record: { ...target, taken: left } });
  const where = 'file' in saved ? `kept in ${saved.file}: run 'vbox-balloon give-back ${safe(target.vm)}' to put them back` : `the record could not be written (${saved.problem}); put them back with 'vbox-balloon set'`;
  ctx.ui.failure(`stopped at once during the start of ${safe(target.vm)}; these balloons were inflated for it and not put back (the last may have been as it stopped): ${left.map((t) => `${safe(t.vm)} ${t.fromMb} -> ${t.toMb} MB`).join(', ')}; ${where}`);
}
