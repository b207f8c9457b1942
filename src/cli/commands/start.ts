import { PLACEMENT_STRATEGIES, type PlacementStrategy, type RoomTaken, type StartVmType, type StartWithRoomOptions } from '../../index.js';
import { fleetStart } from '../fleet/start.js';
import type { Command, CommandContext } from '../command.js';
import { cliText } from '../error-words.js';
import { EXIT } from '../exit-codes.js';
import { boolFlag, stringFlag, stringList } from '../parse-command-line.js';
import { reportError } from '../report-error.js';
import { liveBalloonsLeft } from '../last-words.js';
import { saveRoom } from '../room-store.js';
import { DEFAULT_LOCK_TIMEOUT_MS, hostLabel, recordsDir, withHostLock } from '../take-turns.js';
import { budgetFlag, isUsage, keepPercentFlag, optionalDuration, optionalMb } from '../sizes.js';
import { commandLine, safe, safeLine } from '../text.js';
import type { UsageError } from '../usage-error.js';

const TYPES: readonly string[] = ['headless', 'gui', 'sdl', 'separate'];

function roomOptions(ctx: CommandContext): StartWithRoomOptions | UsageError {
  const budget = budgetFlag(ctx, stringFlag(ctx.args, 'budget'));
  if (isUsage(budget)) return budget;
  const percent = keepPercentFlag(ctx, stringFlag(ctx.args, 'keep-free-percent'));
  if (isUsage(percent)) return percent;
  const o: Record<string, unknown> = { ...budget, ...percent };
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
  usage: 'vbox-balloon start VM [--make-room] [--clone-from BASE [--snapshot SNAP]] [--dry-run] [--budget SIZE|PERCENT] [--keep-free SIZE] [--keep-free-percent N] [--from VM...] [--type TYPE] [--hosts FILE|--host TARGET... [--strategy spread|pack] [--max-hosts N]]',
  acrossHosts: true,
  flags: {
    'clone-from': { type: 'string' },
    snapshot: { type: 'string' },
    strategy: { type: 'string' },
    'max-hosts': { type: 'string' },
    'make-room': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    type: { type: 'string' },
    budget: { type: 'string' },
    'keep-free': { type: 'string' },
    'keep-free-percent': { type: 'string' },
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

With --clone-from BASE, VM is a new linked clone of BASE's snapshot (--snapshot, default its current
one), made once the plan fits and removed again if the start fails (a CI runner from a template);
'give-back VM --delete' removes it once it is off.

With several hosts (--host repeated, or --hosts FILE): every host is planned in parallel, a table
says which can start VM and why not (no VM or template, not enough memory, no answer), and VM starts
on the best host (--strategy; the next one if the start fails there, at most --max-hosts). Without
--make-room only hosts whose budget covers the start without ballooning count. No host fits: exit 3.

Flags:
  --make-room        Make room with balloons before the start
  --clone-from BASE  Start a new linked clone of BASE named VM
  --snapshot SNAP    With --clone-from: the base's snapshot (default: its current snapshot)
  --strategy NAME    With several hosts: least-ballooning (default), spread or pack (docs/make-room.md)
  --max-hosts N      With several hosts: how many hosts to try when a start fails (default 2)
  --dry-run          With --make-room: print the plan, change and start nothing
  --type TYPE        headless (default), gui, sdl or separate
  --budget SIZE|PERCENT
                     The memory the running guests may be backed with (default 80% of host RAM)
  --keep-free SIZE   Free memory every giving guest keeps (default 256M)
  --keep-free-percent N  ...or N % of its RAM, if more (default 10)
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
  vbox-balloon start ci-7 --hosts lab.hosts --make-room --clone-from ci-base --snapshot base

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
    const cloneFrom = stringFlag(ctx.args, 'clone-from');
    const snapshot = stringFlag(ctx.args, 'snapshot');
    if (snapshot !== undefined && cloneFrom === undefined) return ctx.usage('--snapshot only applies with --clone-from');
    const placed = placement(ctx);
    if (isUsage(placed)) return placed;
    // Planning without ballooning (a clone, several hosts) still reads the budget; giving memory needs --make-room.
    const planning = makeRoom || cloneFrom !== undefined || ctx.fleet !== null;
    const given = (flags: readonly string[]): string | undefined => flags.find((f) => ctx.args.values[f] !== undefined && ctx.args.values[f] !== false);
    const roomOnly = given(['keep-free', 'from', 'wait-timeout']);
    if (!makeRoom && roomOnly !== undefined) return ctx.usage(`--${roomOnly} only applies with --make-room`);
    const planOnly = given(['dry-run', 'budget', 'overhead', 'lock-timeout']);
    if (!planning && planOnly !== undefined) return ctx.usage(`--${planOnly} only applies with --make-room, --clone-from or several hosts`);
    const clone = cloneFrom === undefined ? {} : { clone: { from: cloneFrom, ...(snapshot === undefined ? {} : { snapshot }) } };
    const startOptions = { ...options, ...clone, ...(makeRoom ? {} : { from: [] }), type: type as StartVmType };
    if (ctx.fleet !== null) {
      const dir = ctx.stateDir;
      return fleetStart(ctx, ctx.fleet, { vm, options: { ...startOptions, ...placed }, dryRun, dir, lockTimeoutMs: lockTimeout });
    }
    if (!planning) {
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
    const dir = recordsDir(ctx, ctx.stateDir);
    if (dryRun) return startWithRoom(ctx, vm, { ...startOptions, dryRun }, dir);
    // Starts and give-backs on one host take turns: each plans from what the one before it left.
    return withHostLock(ctx, dir, 'start', lockTimeout ?? DEFAULT_LOCK_TIMEOUT_MS, () => startWithRoom(ctx, vm, { ...startOptions, dryRun }, dir));
  },
};

// --strategy and --max-hosts: only with several hosts.
function placement(ctx: CommandContext): { strategy?: PlacementStrategy; maxHosts?: number } | UsageError {
  const strategy = stringFlag(ctx.args, 'strategy');
  const maxHosts = stringFlag(ctx.args, 'max-hosts');
  if ((strategy !== undefined || maxHosts !== undefined) && ctx.fleet === null) {
    return ctx.usage(`--${strategy === undefined ? 'max-hosts' : 'strategy'} only applies with several hosts (--host repeated, or --hosts FILE)`);
  }
  if (strategy !== undefined && !(PLACEMENT_STRATEGIES as readonly string[]).includes(strategy)) {
    return ctx.usage(`--strategy ${JSON.stringify(strategy)} is not a strategy; use least-ballooning, spread or pack`);
  }
  if (maxHosts !== undefined && !/^[1-9]\d{0,2}$/u.test(maxHosts)) return ctx.usage(`--max-hosts ${JSON.stringify(maxHosts)} is not a number of hosts; use e.g. 2`);
  return { ...(strategy === undefined ? {} : { strategy: strategy as PlacementStrategy }), ...(maxHosts === undefined ? {} : { maxHosts: Number(maxHosts) }) };
}

async function startWithRoom(ctx: CommandContext, vm: string, options: StartWithRoomOptions, dir: string): Promise<number> {
  const conn = ctx.connect();
  const { controller } = conn;
  // Resolve once: the record (also one kept on a second Ctrl-C) is named after the UUID, and the start acts by it.
  // A clone does not exist yet: the controller makes it and acts by its UUID from then on.
  let target = { vm, uuid: '' };
  if (options.clone === undefined) {
    const info = await controller.client.showVmInfo(vm, { signal: ctx.interrupt });
    if (info.isErr()) return reportError(ctx, info.error);
    target = { vm: info.value.name, uuid: info.value.uuid };
  }
  const keep = options.dryRun === true ? () => undefined : ctx.onExit(() => {
    keepWhatIsLeft(ctx, dir, target, liveBalloonsLeft(conn.changes));
  });
  const result = await controller.startWithRoom(options.clone === undefined ? target.uuid : vm, { ...options, signal: ctx.interrupt });
  keep();
  if (result.isErr()) return reportError(ctx, result.error);
  const r = result.value;
  const saved = r.dryRun || (r.room.taken.length === 0 && r.room.clone === undefined) ? null : saveRoom(dir, { host: hostLabel(ctx), record: r.room });
  if (saved !== null && 'problem' in saved) ctx.ui.warn(r.vm, `the record for give-back could not be written (${saved.problem}); keep this output: ${JSON.stringify(r.room)}`);
  if (saved !== null && 'file' in saved && saved.earlier > 0) {
    ctx.ui.note(`${safe(r.vm)} already had ${saved.earlier === 1 ? 'a record' : `${saved.earlier} records`} of memory taken for an earlier start: kept too; 'vbox-balloon give-back ${safe(r.vm)}' gives back what every start took.`);
  }
  if (ctx.ui.json) {
    ctx.ui.printJson({ ...r, ...(saved !== null && 'file' in saved ? { recordFile: saved.file } : {}) });
    return EXIT.ok;
  }
  if (!ctx.ui.quiet || r.dryRun) for (const line of r.plan.explanation) ctx.ui.print(safeLine(cliText(line, r.plan.fixes ?? [])));
  if (r.dryRun) {
    ctx.ui.print(`Would run (dry run, nothing changed):\n${r.plan.commands.map((c) => `  ${commandLine(c)}`).join('\n')}`);
    return EXIT.ok;
  }
  const back = r.clone !== null ? `; 'vbox-balloon give-back ${safe(r.vm)} --delete' removes it once it stops` : r.changes.length > 0 ? `; 'vbox-balloon give-back ${safe(r.vm)}' once it stops` : '';
  const took = r.changes.length === 0 ? 'without ballooning' : `after inflating ${r.changes.length} balloon${r.changes.length === 1 ? '' : 's'}`;
  const what = r.clone === null ? '' : ` (a clone of ${safe(r.clone.from)} from snapshot ${safe(r.clone.snapshot)})`;
  ctx.ui.print(`Started ${safe(r.vm)}${what} (${r.state}) ${took}${back}.`);
  if (r.interrupted !== null) ctx.ui.warn(r.vm, `the start was cut short (${r.interrupted.code}) but the VM runs`);
  return EXIT.ok;
}

// Ended at once (a second Ctrl-C) while balloons were inflated or being put back: say which are still inflated and
// keep them as a record, so that 'give-back' can finish the rollback.
function keepWhatIsLeft(ctx: CommandContext, dir: string, target: { vm: string; uuid: string }, left: RoomTaken[]): void {
  if (left.length === 0 || target.uuid === '') {
    if (left.length > 0) {
      ctx.ui.failure(`stopped at once during the start of ${safe(target.vm)}; these balloons were inflated for it and not put back: ${left.map((t) => `${safe(t.vm)} ${t.fromMb} -> ${t.toMb} MB`).join(', ')}; put them back with 'vbox-balloon set', and check whether the clone ${safe(target.vm)} was made ('vbox-balloon status')`);
      return;
    }
    ctx.ui.failure(`stopped at once during the start of ${safe(target.vm)}; no balloon was left inflated for it`);
    return;
  }
  const saved = saveRoom(dir, { host: hostLabel(ctx), record: { ...target, taken: left } });
  const where = 'file' in saved ? `kept in ${saved.file}: run 'vbox-balloon give-back ${safe(target.vm)}' to put them back` : `the record could not be written (${saved.problem}); put them back with 'vbox-balloon set'`;
  ctx.ui.failure(`stopped at once during the start of ${safe(target.vm)}; these balloons were inflated for it and not put back (the last may have been as it stopped): ${left.map((t) => `${safe(t.vm)} ${t.fromMb} -> ${t.toMb} MB`).join(', ')}; ${where}`);
}
