// What the autopilot command does the same for one host and for a fleet: its options from the flags, a clock that
// lets Ctrl-C end the loop after the tick in progress, the metrics server, and the log lines around the run.
import type { AutopilotClock, AutopilotOptions, AutopilotPolicy, VmLimits } from '../index.js';
import type { CommandContext } from './command.js';
import type { Connection } from './connect.js';
import { EXIT } from './exit-codes.js';
import { startMetrics, type CliMetrics } from './metrics-server.js';
import { stringFlag } from './parse-command-line.js';

/** The autopilot's flags, checked. */
export interface AutopilotSetup {
  readonly policy: AutopilotPolicy;
  readonly dryRun: boolean;
  readonly intervalMs: number | undefined;
  readonly maxTicks: number | undefined;
  readonly limits: Readonly<Record<string, VmLimits>> | undefined;
  /** While whole ticks fail, the wait between them doubles up to this (the SDK's default when absent). */
  readonly maxBackoffMs?: number;
}

/**
 * Real time, whose sleep ends at once (with `false`, so the loop stops) when `drain` is aborted: a tick in progress
 * is let finish, and a loop between ticks stops at once. The loop's own signal ends it too.
 */
export function drainClock(drain: AbortSignal): AutopilotClock {
  return {
    now: () => Date.now(),
    sleep: (ms, signal) =>
      new Promise<boolean>((resolve) => {
        const stops = signal === undefined ? drain : AbortSignal.any([drain, signal]);
        if (stops.aborted) {
          resolve(false);
          return;
        }
        const done = (ok: boolean): void => {
          clearTimeout(timer);
          stops.removeEventListener('abort', aborted);
          resolve(ok);
        };
        const aborted = (): void => {
          done(false);
        };
        const timer = setTimeout(() => {
          done(true);
        }, ms);
        stops.addEventListener('abort', aborted, { once: true });
      }),
  };
}

/** The options every host's autopilot gets (without onTick). */
export function autopilotOptions(setup: AutopilotSetup, drain: AbortSignal): Omit<AutopilotOptions, 'onTick'> {
  return {
    policy: setup.policy,
    dryRun: setup.dryRun,
    clock: drainClock(drain),
    ...(setup.intervalMs === undefined ? {} : { intervalMs: setup.intervalMs }),
    ...(setup.maxTicks === undefined ? {} : { maxTicks: setup.maxTicks }),
    ...(setup.limits === undefined ? {} : { limits: setup.limits }),
    ...(setup.maxBackoffMs === undefined ? {} : { maxBackoffMs: setup.maxBackoffMs }),
  };
}

/** `--metrics`: the server for these hosts, `null` without the flag, or the exit code when it cannot start. */
export async function metricsFromFlag(ctx: CommandContext, hosts: readonly { readonly host: string; readonly connection: Connection }[], setup: AutopilotSetup): Promise<CliMetrics | null | number> {
  const at = stringFlag(ctx.args, 'metrics');
  if (at === undefined) return null;
  const metrics = await startMetrics(hosts, at, setup.intervalMs ?? 10_000);
  if ('problem' in metrics) {
    if (metrics.usage) {
      ctx.ui.usage(ctx.usage(`--metrics: ${metrics.problem}`));
      return EXIT.usage;
    }
    ctx.ui.refusal(metrics.code, metrics.problem);
    return EXIT.error;
  }
  if (!metrics.loopback) {
    // Beyond loopback is said always, with the address the system bound: `0:9464` is every interface, not a name.
    const where = metrics.address === '0.0.0.0' || metrics.address === '::' ? 'every interface' : `${metrics.address}, not loopback`;
    ctx.ui.writeErr(`Metrics on ${metrics.url}/metrics, listening on ${where}: anyone who can reach this machine on port ${new URL(metrics.url).port} can read them.\n`);
  } else if (!ctx.ui.quiet) ctx.ui.note(`Metrics on ${metrics.url}/metrics`);
  return metrics;
}

/** Say the autopilot runs, and on the first Ctrl-C or SIGTERM abort `drain`; call the result when the loop is done. */
export function announceRun(ctx: CommandContext, setup: AutopilotSetup, drain: AbortController, where: string): () => void {
  const onSignal = (): void => {
    ctx.ui.note('Stopping after the current tick (Ctrl-C again to stop at once)...');
    drain.abort();
  };
  ctx.interrupt.addEventListener('abort', onSignal, { once: true });
  if (!ctx.ui.quiet) ctx.ui.note(`Autopilot running (${setup.policy.kind} policy${setup.dryRun ? ', dry run' : ''}${where}); Ctrl-C to stop.`);
  return () => {
    ctx.interrupt.removeEventListener('abort', onSignal);
  };
}

/** `3 ticks`. */
export const ticks = (n: number): string => `${n} tick${n === 1 ? '' : 's'}`;
