// `autopilot --metrics ADDR`: Prometheus metrics of the run, served on ADDR (loopback unless the operator says
// otherwise). prom-client is an optional peer of vbox-balloon: it is loaded only when the flag is given. One
// registry holds every host's series (the `host` label tells them apart); /healthz is healthy while every host ticks.
import { Result } from 'neverthrow';
import type { TickEvent } from '../index.js';
import type { BalloonMetrics, MetricsHealth } from '../metrics/index.js';
import type { Connection } from './connect.js';
import { cliMessage } from './error-words.js';

/** A running metrics server fed by the connections' events. */
export interface CliMetrics {
  readonly url: string;
  /** The address bound, as the system reports it. */
  readonly address: string;
  /** Loopback only; when false the run says so. */
  readonly loopback: boolean;
  /** Record a tick of the host of that name. */
  readonly onTick: (host: string, event: TickEvent) => void;
  /** Record a reload of the configuration file: whether it was taken, and when (ms since the epoch). */
  readonly onReload: (ok: boolean, at: number) => void;
  close(): Promise<void>;
}

/** /healthz fails once a host's ticks have all failed this many times in a row (VBoxManage answers nothing). */
export const FAILED_TICKS_UNHEALTHY = 3;

/** A host whose autopilot the metrics follow, under the `host` label `host`. */
export interface MetricsSource {
  readonly host: string;
  readonly connection: Connection;
}

// A host whose last ticks all failed is not healthy, however fresh they are.
function withFailures(h: MetricsHealth, failedInARow: number): MetricsHealth {
  if (failedInARow < FAILED_TICKS_UNHEALTHY) return h;
  return { ...h, healthy: false, message: `the last ${failedInARow} ticks failed (VBoxManage answers nothing; is VBoxSVC running?)` };
}

// One host's health as is; several: healthy while every host is, with the ones that are not named.
function fleetHealth(all: readonly BalloonMetrics[], failed: ReadonlyMap<string, number>, maxTickAgeMs: number): ReturnType<BalloonMetrics['health']> {
  return Result.combine(all.map((m) => m.health(maxTickAgeMs).map((h) => withFailures(h, failed.get(m.host) ?? 0)))).map((list): MetricsHealth => {
    const [only] = list;
    if (list.length === 1 && only !== undefined) return only;
    const ages = list.map((h) => h.lastTickAgeMs);
    const sick = list.flatMap((h, i) => (h.healthy ? [] : [`${all[i]?.host ?? '?'}: ${h.message}`]));
    return {
      healthy: sick.length === 0,
      ticks: list.reduce((n, h) => n + h.ticks, 0),
      lastTickAgeMs: ages.includes(null) ? null : Math.max(...(ages as number[])),
      lastTickSucceeded: list.some((h) => h.lastTickSucceeded === null) ? null : list.every((h) => h.lastTickSucceeded === true),
      message: sick.length === 0 ? `every host (${list.length}) ticks` : sick.join('; '),
    };
  });
}

/** Start serving metrics on `listen`, or say why not (prom-client missing, a bad address, the port taken). */
export async function startMetrics(sources: readonly MetricsSource[], listen: string, intervalMs: number, maxTickAgeMs = 3 * intervalMs): Promise<CliMetrics | { readonly problem: string; readonly usage: boolean; readonly code: string }> {
  let promClient: { Registry: new () => unknown; Gauge: new (o: { name: string; help: string; registers: never[] }) => { set(v: number): void } };
  try {
    promClient = await import('prom-client');
  } catch {
    return { code: 'PROM_CLIENT_MISSING', problem: '--metrics needs the prom-client package next to vbox-balloon: npm install prom-client (for a global install: npm install -g vbox-balloon prom-client)', usage: false };
  }
  const { balloonMetrics, serveMetrics } = await import('../metrics/index.js');
  const registry = new promClient.Registry() as never;
  const byHost = new Map<string, BalloonMetrics>();
  for (const { host, connection } of sources) {
    const made = balloonMetrics({ registry, host });
    if (made.isErr()) return { code: made.error.code, problem: cliMessage(made.error), usage: false };
    connection.onEvent(made.value.onEvent);
    connection.onCommand(made.value.onCommand);
    byHost.set(host, made.value);
  }
  const all = [...byHost.values()];
  const failed = new Map<string, number>();
  const reloadOk = new promClient.Gauge({ name: 'vbox_balloon_config_last_reload_successful', help: 'Whether the last reload of the configuration file (SIGHUP) was taken (1) or refused (0)', registers: [registry] });
  const reloadAt = new promClient.Gauge({ name: 'vbox_balloon_config_last_reload_success_timestamp_seconds', help: 'When the configuration was last loaded successfully (the start counts), in seconds since the epoch', registers: [registry] });
  reloadOk.set(1);
  reloadAt.set(Date.now() / 1000);
  const served = await serveMetrics({ registry, health: (maxTickAgeMs) => fleetHealth(all, failed, maxTickAgeMs) }, { listen, maxTickAgeMs });
  if (served.isErr()) return { code: served.error.code, problem: cliMessage(served.error), usage: served.error.code === 'INVALID_ARGUMENT' };
  const server = served.value;
  return {
    url: server.url,
    address: server.address,
    loopback: server.loopback,
    onTick: (host, event) => {
      failed.set(host, event.snapshot === null ? (failed.get(host) ?? 0) + 1 : 0);
      byHost.get(host)?.onTick(event);
    },
    onReload: (ok, at) => {
      reloadOk.set(ok ? 1 : 0);
      if (ok) reloadAt.set(at / 1000);
    },
    close: () => server.close(),
  };
}
