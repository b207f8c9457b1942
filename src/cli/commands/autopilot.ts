import type { AutopilotClock, TickEvent } from '../../index.js';
import type { Command } from '../command.js';
import { readLimits } from '../config-file.js';
import { EXIT } from '../exit-codes.js';
import { boolFlag, stringFlag } from '../parse-command-line.js';
import { POLICY_FLAGS, POLICY_HELP, policyFromFlags } from '../policy-flags.js';
import { tickLine } from '../render-tick.js';
import { reportError } from '../report-error.js';
import { startMetrics } from '../metrics-server.js';
import { isUsage, optionalCount, optionalDuration } from '../sizes.js';

// A clock that tells the command whether the loop is between ticks, so that a signal can wait for a tick to end.
function watchedClock(onSleep: (sleeping: boolean) => void): AutopilotClock {
  return {
    now: () => Date.now(),
    sleep: (ms, signal) =>
      new Promise<boolean>((resolve) => {
        if (signal?.aborted === true) {
          resolve(false);
          return;
        }
        onSleep(true);
        const done = (ok: boolean): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', aborted);
          onSleep(false);
          resolve(ok);
        };
        const aborted = (): void => {
          done(false);
        };
        const timer = setTimeout(() => {
          done(true);
        }, ms);
        signal?.addEventListener('abort', aborted, { once: true });
      }),
  };
}

export const autopilot: Command = {
  name: 'autopilot',
  summary: 'Size every running VM\'s balloon automatically, tick after tick, in the foreground',
  usage: 'vbox-balloon autopilot --policy budget|balloonctrl [--interval 10s] [--dry-run] [--max-ticks N] [--config FILE] [--metrics 127.0.0.1:9464]',
  flags: { ...POLICY_FLAGS, interval: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'max-ticks': { type: 'string' }, metrics: { type: 'string' } },
  help: `Runs until stopped: one log line per tick on stdout (what changed, backing vs budget, errors), or
one JSON object per tick with --json (the SDK's TickEvent). Ctrl-C (SIGINT) or SIGTERM ends it after
the current tick and exits 0; a second Ctrl-C stops at once (exit 130). A VM that fails in a tick is
reported in that tick and the loop goes on.

Flags:
  --interval DURATION   Time between ticks (default 10s)
  --dry-run             Plan and log, change nothing
  --max-ticks N         Stop after N ticks
  --metrics HOST:PORT   Serve Prometheus metrics on /metrics and a /healthz that fails when the last tick
                        is older than 3 intervals (needs prom-client; loopback unless you name another
                        address, e.g. 0.0.0.0:9464; see docs/metrics.md)
${POLICY_HELP}

Examples:
  vbox-balloon autopilot --policy budget --budget 24G --interval 30s
  vbox-balloon autopilot --policy balloonctrl --config limits.json --json | tee ticks.jsonl

Output:
  2026-12-01T22:00:00.000Z tick 1: 2 changes (web-1 0->100 MB, web-2 0->100 MB), backing 24576 -> 24376 MB of 26214 MB budget, 0 errors`,
  async run(ctx) {
    if (ctx.args.positionals.length > 0) return ctx.usage(`unexpected argument ${JSON.stringify(ctx.args.positionals[0])}`);
    const policy = policyFromFlags(ctx);
    if (isUsage(policy)) return policy;
    const intervalMs = optionalDuration(ctx, stringFlag(ctx.args, 'interval'), 'interval');
    if (isUsage(intervalMs)) return intervalMs;
    const maxTicks = optionalCount(ctx, stringFlag(ctx.args, 'max-ticks'), 'max-ticks');
    if (isUsage(maxTicks)) return maxTicks;
    const config = stringFlag(ctx.args, 'config');
    const limits = config === undefined ? undefined : await readLimits(config);
    if (limits !== undefined && 'problem' in limits) return ctx.usage(limits.problem);
    const conn = ctx.connect();
    const { controller } = conn;
    // Fail fast when VBoxManage is missing or the host cannot balloon, rather than log a failed tick forever.
    const host = await controller.hostSupport({ signal: ctx.interrupt });
    if (host.isErr()) return reportError(ctx, host.error);
    if (!host.value.supported) {
      ctx.ui.note(`This host cannot balloon: ${host.value.reasons.join('; ')}`);
      return EXIT.refused;
    }
    const metricsAt = stringFlag(ctx.args, 'metrics');
    const metrics = metricsAt === undefined ? null : await startMetrics(conn, metricsAt, intervalMs ?? 10_000);
    if (metrics !== null && 'problem' in metrics) {
      if (metrics.usage) return ctx.usage(`--metrics: ${metrics.problem}`);
      ctx.ui.note(`error: ${metrics.problem}`);
      return EXIT.error;
    }
    if (metrics !== null && !ctx.ui.quiet) ctx.ui.note(`Metrics on ${metrics.url}/metrics`);
    let sleeping = false;
    let stopRequested = false;
    let stop = (): void => undefined;
    const started = controller.autopilot({
      policy,
      dryRun: boolFlag(ctx.args, 'dry-run'),
      clock: watchedClock((s) => (sleeping = s)),
      ...(intervalMs === undefined ? {} : { intervalMs }),
      ...(maxTicks === undefined ? {} : { maxTicks }),
      ...(limits === undefined ? {} : { limits: limits.limits }),
      onTick: (e: TickEvent) => {
        metrics?.onTick(e);
        if (ctx.ui.json) ctx.ui.printJson(e, true);
        else if (!ctx.ui.quiet || e.applied.length > 0 || e.errors.length > 0) ctx.ui.print(tickLine(e));
        if (stopRequested) stop(); // the tick that was running when the signal came has ended
      },
    });
    if (started.isErr()) {
      await metrics?.close();
      return reportError(ctx, started.error);
    }
    const handle = started.value;
    stop = () => {
      handle.stop();
    };
    const onSignal = (): void => {
      stopRequested = true;
      ctx.ui.note('Stopping after the current tick (Ctrl-C again to stop at once)...');
      if (sleeping) stop();
    };
    ctx.interrupt.addEventListener('abort', onSignal, { once: true });
    if (!ctx.ui.quiet) ctx.ui.note(`Autopilot running (${policy.kind} policy${boolFlag(ctx.args, 'dry-run') ? ', dry run' : ''}); Ctrl-C to stop.`);
    const ticks = await started.value.done;
    ctx.interrupt.removeEventListener('abort', onSignal);
    await metrics?.close();
    ctx.ui.note(`Autopilot stopped after ${ticks} tick${ticks === 1 ? '' : 's'}.`);
    return EXIT.ok;
  },
};
