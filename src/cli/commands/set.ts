import { outcomeOf, type BalloonChange, type SetBalloonOptions, type WaitOptions } from '../../index.js';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { boolFlag, stringFlag } from '../parse-command-line.js';
import { exactly } from '../positionals.js';
import { startProgress, type Progress } from '../progress.js';
import { renderChange } from '../render-change.js';
import { reportError } from '../report-error.js';
import { resolveSize } from '../resolve-size.js';
import { isUsage, optionalDuration, optionalMb, sizeArg } from '../sizes.js';
import { formatDuration } from '../units.js';

const DEFAULT_WAIT_MS = 30_000;

function waitLine(change: BalloonChange): string {
  const w = change.wait;
  if (w === undefined) return '';
  return w.reached
    ? `the guest reached ${w.actualMb ?? '?'} MB in ${formatDuration(w.elapsedMs)}`
    : `the guest reached ${w.actualMb ?? 'no reported size'} of ${change.toMb} MB in ${formatDuration(w.elapsedMs)}; the balloon stays requested at ${change.toMb} MB`;
}

export const set: Command = {
  name: 'set',
  summary: "Change a running VM's live balloon, and optionally wait for the guest to get there",
  usage: 'vbox-balloon set VM SIZE [--wait [TIMEOUT]] [--dry-run] [--allow-large-pages]',
  flags: {
    wait: { type: 'boolean', optionalValue: /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/u },
    poll: { type: 'string' },
    tolerance: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'allow-large-pages': { type: 'boolean' },
  },
  help: `Runs 'VBoxManage controlvm VM guestmemoryballoon SIZE' after checking everything that would make it
fail or do nothing (state, size limit, large pages, Guest Additions, host); every reason is listed.
SIZE is 512, 512M, 2G or a percentage of the VM's RAM (25%).

Flags:
  --wait [TIMEOUT]     Wait until the guest has inflated or deflated the balloon (default 30s).
                       Progress goes to stderr: one line updated in place on a terminal, otherwise
                       a line every 3 seconds. Ctrl-C stops the wait, not the change, and exits 6.
  --poll DURATION      Time between reads of the guest's balloon while waiting (default 1s)
  --tolerance SIZE     Close enough while waiting (default 16M)
  --dry-run            Check and print the command, change nothing
  --allow-large-pages  Do not refuse a VM with large pages on (the balloon may free nothing)

Examples:
  vbox-balloon set web-1 1G
  vbox-balloon set web-1 25% --wait 2m
  vbox-balloon set web-1 0 --dry-run --json

Output:
  web-1: live balloon 0 MB -> 1024 MB; the guest reached 1024 MB in 2.1 s

Exit codes: 0 done (and reached, with --wait); 3 refused; 6 the wait ended before the guest got
there (the change was made); 7 no such VM.`,
  async run(ctx) {
    // `set web-1 1G --wait 30`: the 30 was meant for --wait, which needs a unit (docs/cli.md: `30` -> use `30s`).
    const waitWord = stringFlag(ctx.args, 'wait-next');
    if (waitWord !== undefined && ctx.args.positionals.length > 2) {
      const meant = optionalDuration(ctx, waitWord, 'wait');
      if (isUsage(meant)) return meant;
    }
    const pos = exactly(ctx, ['VM', 'SIZE']);
    if (isUsage(pos)) return pos;
    const [vm = '', sizeText = ''] = pos;
    const size = sizeArg(ctx, sizeText, 'SIZE', true);
    if (isUsage(size)) return size;
    const wait = boolFlag(ctx.args, 'wait');
    const timeoutMs = optionalDuration(ctx, stringFlag(ctx.args, 'wait-value'), 'wait');
    const pollMs = optionalDuration(ctx, stringFlag(ctx.args, 'poll'), 'poll');
    const toleranceMb = optionalMb(ctx, stringFlag(ctx.args, 'tolerance'), 'tolerance');
    for (const v of [timeoutMs, pollMs, toleranceMb]) if (isUsage(v)) return v;
    const dryRun = boolFlag(ctx.args, 'dry-run');
    if (!wait && (pollMs !== undefined || toleranceMb !== undefined)) return ctx.usage('--poll and --tolerance only apply with --wait');
    if (wait && dryRun) return ctx.usage('--wait has nothing to wait for with --dry-run');

    const conn = ctx.connect();
    // Ctrl-C before the change aborts it (the SDK kills the running call); after it, only the wait stops.
    const stop = new AbortController();
    const onInterrupt = (): void => {
      stop.abort();
    };
    ctx.interrupt.addEventListener('abort', onInterrupt, { once: true });
    let progress: Progress | null = null;
    const target = await resolveSize(conn.controller, vm, size, stop.signal);
    if ('error' in target) return reportError(ctx, target.error);
    conn.onChange(() => {
      if (wait) progress = startProgress(ctx.ui, vm, target.mb);
    });
    const waitOptions: WaitOptions = {
      timeoutMs: (timeoutMs as number | undefined) ?? DEFAULT_WAIT_MS,
      ...(pollMs === undefined ? {} : { pollMs: pollMs as number }),
      ...(toleranceMb === undefined ? {} : { toleranceMb: toleranceMb as number }),
      onProgress: (p) => progress?.update(p.actualMb, p.elapsedMs),
    };
    const options: SetBalloonOptions = {
      signal: stop.signal,
      dryRun,
      allowLargePages: boolFlag(ctx.args, 'allow-large-pages'),
      ...(wait ? { wait: waitOptions } : {}),
    };
    const result = await conn.controller.setBalloon(vm, target.mb, options);
    const shown = progress as Progress | null;
    shown?.stop();
    ctx.interrupt.removeEventListener('abort', onInterrupt);

    if (result.isErr()) {
      const code = reportError(ctx, result.error);
      if (outcomeOf(result.error) === 'unknown') ctx.ui.note("The controlvm call was stopped while it ran: the balloon may or may not have changed. Check with 'vbox-balloon status'.");
      return code;
    }
    const change = result.value;
    const reached = change.wait?.reached ?? true;
    // Ctrl-C after the change: the SDK stopped only the wait and returns the change; say so.
    if (change.wait?.ended === 'aborted') {
      if (ctx.ui.json) ctx.ui.printJson(change);
      else ctx.ui.print(renderChange(change, ctx.ui.verbose));
      const w = change.wait;
      ctx.ui.note(`Stopped waiting (interrupted): the change WAS made and stays requested at ${change.toMb} MB; the guest had reached ${w.actualMb ?? 'no reported size'} MB after ${formatDuration(w.elapsedMs)}.`);
      return EXIT.notReached;
    }
    if (ctx.ui.json) ctx.ui.printJson(change);
    else if (!ctx.ui.quiet || !reached) {
      const head = renderChange(change, ctx.ui.verbose || change.dryRun);
      const w = waitLine(change);
      ctx.ui.print(w === '' ? head : head.replace(/^([^\n]*)/u, `$1; ${w}`));
    }
    return reached ? EXIT.ok : EXIT.notReached;
  },
};
