// balloonMetrics(): Prometheus collectors fed by the SDK's own events (onEvent, onTick, onCommand), never by polling.
import { hostname } from 'node:os';
import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, type InvalidArgumentError } from '../errors/index.js';
import type { BalloonEvent, CommandEvent, TickEvent } from '../events/index.js';
import { createCollectors, METRIC_NAMES, type Collectors, type MetricsRegistry } from './collectors.js';
import { commandLabel } from './command-label.js';
import { recordTick, uuidByName, type HostState } from './record-tick.js';
import { amount, HostSeries, mbToBytes } from './series.js';

/** Options of {@link balloonMetrics}. */
export interface BalloonMetricsOptions {
  /** The prom-client `Registry` to register in: your service's own (`new Registry()`, or prom-client's `register`). */
  readonly registry: MetricsRegistry;
  /** The `host` label on every series: the VirtualBox host this autopilot manages. Default: this machine's hostname. */
  readonly host?: string;
  /** The wall clock for {@link BalloonMetrics.health}, in ms. Default `Date.now`. */
  readonly now?: () => number;
}

/** How fresh the last autopilot tick is, for a `/healthz`. */
export interface MetricsHealth {
  /** True while the last tick (or, before the first, the creation of the metrics) is at most `maxTickAgeMs` old. */
  readonly healthy: boolean;
  /** Ticks recorded so far. */
  readonly ticks: number;
  /** How long ago the last tick was recorded, in ms; `null` before the first. */
  readonly lastTickAgeMs: number | null;
  /** Whether the last tick ran without any error; `null` before the first. */
  readonly lastTickSucceeded: boolean | null;
  /** Why it is healthy or not, in words. */
  readonly message: string;
}

/** Metrics for one VirtualBox host: pass the three handlers to the SDK, and serve `registry` (see {@link serveMetrics}). */
export interface BalloonMetrics {
  /** The registry the collectors are in. */
  readonly registry: MetricsRegistry;
  /** The `host` label. */
  readonly host: string;
  /** Pass as `BalloonController`'s `onEvent`: counts changes and warnings, and keeps the target balloon current. */
  readonly onEvent: (event: BalloonEvent) => void;
  /** Pass as the autopilot's `onTick`: memory, balloons, guests, ticks, changes and failures. */
  readonly onTick: (event: TickEvent) => void;
  /** Pass as `ExecaVBoxManageClient`'s `onCommand`: VBoxManage invocations, retries and durations. */
  readonly onCommand: (event: CommandEvent) => void;
  /** How fresh the last tick is: unhealthy when it is older than `maxTickAgeMs` (a few autopilot intervals). */
  health(maxTickAgeMs: number): Result<MetricsHealth, InvalidArgumentError>;
  /** Remove every series of this host from the registry; the handlers then do nothing, and the host name is free again. */
  remove(): void;
}

// Collectors are shared by every host registered in one registry, so one exporter can serve several hosts.
const shared = new WeakMap<object, { readonly collectors: Collectors; readonly hosts: Set<string> }>();

function collectorsFor(registry: MetricsRegistry): Result<{ readonly collectors: Collectors; readonly hosts: Set<string> }, InvalidArgumentError> {
  const known = shared.get(registry);
  const ours = known !== undefined && METRIC_NAMES.every((n) => registry.getSingleMetric(n) === known.collectors[n]);
  if (known !== undefined && ours) return ok(known);
  const taken = METRIC_NAMES.filter((n) => registry.getSingleMetric(n) !== undefined);
  if (taken.length > 0) {
    return err(
      invalidArgument(
        'registry',
        `a registry that already has ${taken.join(', ')}`,
        'already has metrics of these names that this module did not create (a second copy of vbox-balloon, or a cleared registry)',
        'Pass a registry without vbox_balloon_ metrics, and load vbox-balloon/metrics one way (import or require) only.',
      ),
    );
  }
  const entry = { collectors: createCollectors(registry), hosts: new Set<string>() };
  shared.set(registry, entry);
  return ok(entry);
}

function isRegistry(x: unknown): x is MetricsRegistry {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return typeof r['registerMetric'] === 'function' && typeof r['getSingleMetric'] === 'function' && typeof r['metrics'] === 'function' && typeof r['contentType'] === 'string';
}

/**
 * Register the vbox-balloon metrics for one host in a prom-client registry and return the event handlers that feed
 * them. Nothing polls VBoxManage: the values come from the events the SDK emits anyway.
 *
 * @example
 * const metrics = balloonMetrics({ registry, host: 'lab-1' });
 * if (metrics.isErr()) throw new Error(metrics.error.message);
 * const { onCommand, onEvent, onTick } = metrics.value;
 * const vbox = new BalloonController({ client: new ExecaVBoxManageClient({ onCommand }), onEvent });
 * vbox.autopilot({ policy: { kind: 'budget' }, onTick });
 */
export function balloonMetrics(options: BalloonMetricsOptions): Result<BalloonMetrics, InvalidArgumentError> {
  const o: unknown = options;
  if (typeof o !== 'object' || o === null) return err(invalidArgument('options', o, 'is not an object', 'Pass { registry: new Registry() }.'));
  const { registry, now = Date.now } = options;
  if (!isRegistry(registry)) return err(invalidArgument('registry', registry, 'is not a prom-client Registry', "Pass new Registry() from 'prom-client' (15.x)."));
  const host: unknown = options.host ?? hostname();
  if (typeof host !== 'string' || host.trim() === '' || host.length > 253) {
    return err(invalidArgument('host', host, 'is not a non-empty string of at most 253 characters', "Pass the VirtualBox host's name, e.g. 'lab-1'."));
  }
  if (typeof now !== 'function') return err(invalidArgument('now', now, 'is not a function', 'Leave it out to use Date.now.'));
  const found = collectorsFor(registry);
  if (found.isErr()) return err(found.error);
  const { collectors, hosts } = found.value;
  if (hosts.has(host)) {
    return err(invalidArgument('host', host, 'already has metrics in this registry', 'Pass another host name, or call remove() on the first metrics.'));
  }
  hosts.add(host);

  const series = new HostSeries(collectors);
  const state: HostState = { host, series, vms: new Map(), pending: new Set(), ticks: 0, lastTickAt: null, lastTickSucceeded: null };
  const createdAt = now();
  let removed = false;
  // Counters start at 0, so that rate() and increase() see the first tick and the first change.
  series.inc('vbox_balloon_ticks_total', { host }, 0);
  series.inc('vbox_balloon_guest_pushbacks_total', { host }, 0);
  series.inc('vbox_balloon_warnings_total', { host }, 0);
  for (const kind of ['live', 'default']) for (const direction of ['inflate', 'deflate']) series.inc('vbox_balloon_changes_total', { host, kind, direction }, 0);

  // Handlers never throw: they run inside the SDK's loops, which must go on whatever a metric does.
  const guard =
    <E>(body: (event: E) => void) =>
    (event: E): void => {
      if (removed) return;
      try {
        body(event);
      } catch {
        // A metric must never stop ballooning; the input was validated field by field, so this is not expected.
      }
    };

  return ok(
    Object.freeze({
      registry,
      host,
      onTick: guard<TickEvent>((event) => {
        recordTick(state, event, now());
      }),
      onEvent: guard<BalloonEvent>((event) => {
        recordEvent(state, event);
      }),
      onCommand: guard<CommandEvent>((event) => {
        recordCommand(state, event);
      }),
      health: (maxTickAgeMs: number) => health(state, createdAt, now(), maxTickAgeMs),
      remove: () => {
        if (removed) return;
        removed = true;
        series.removeAll();
        hosts.delete(host);
      },
    }),
  );
}

function recordEvent(s: HostState, event: BalloonEvent): void {
  const e: unknown = event;
  if (typeof e !== 'object' || e === null) return;
  const { type } = e as { type?: unknown };
  if (type === 'warning') {
    s.series.inc('vbox_balloon_warnings_total', { host: s.host });
    return;
  }
  if (type !== 'change') return;
  const change: unknown = (e as { change?: unknown }).change;
  if (typeof change !== 'object' || change === null) return;
  const c = change as Record<string, unknown>;
  const from = amount(c['fromMb']);
  const to = amount(c['toMb']);
  if (c['dryRun'] !== false || (c['kind'] !== 'live' && c['kind'] !== 'default') || from === null || to === null || from === to) return;
  s.series.inc('vbox_balloon_changes_total', { host: s.host, kind: c['kind'], direction: to > from ? 'inflate' : 'deflate' });
  if (c['kind'] !== 'live') return;
  // By the change's own UUID: in the tick where a VM is first seen, its changes come before the snapshot names it.
  const uuid = typeof c['uuid'] === 'string' && c['uuid'] !== '' ? c['uuid'] : uuidByName(s, c['vm']);
  if (uuid === undefined) return;
  s.pending.add(`${uuid}\n${to}`);
  const known = s.vms.get(uuid);
  if (known === undefined) return;
  s.series.set('vbox_balloon_vm_balloon_target_bytes', { host: s.host, vm: known.label }, mbToBytes(to));
}

function recordCommand(s: HostState, event: CommandEvent): void {
  const e: unknown = event;
  if (typeof e !== 'object' || e === null) return;
  const { argv, exitCode, durationMs, attempt } = e as Record<string, unknown>;
  const command = commandLabel(argv);
  const result = exitCode === 0 ? 'ok' : typeof exitCode === 'number' ? 'failed' : 'killed';
  s.series.inc('vbox_balloon_vboxmanage_invocations_total', { host: s.host, command, result });
  if (typeof attempt === 'number' && attempt > 1) s.series.inc('vbox_balloon_vboxmanage_retries_total', { host: s.host, command });
  const ms = amount(durationMs);
  if (ms !== null) s.series.observe('vbox_balloon_vboxmanage_duration_seconds', { host: s.host, command }, ms / 1000);
}

function health(s: HostState, createdAt: number, now: number, maxTickAgeMs: unknown): Result<MetricsHealth, InvalidArgumentError> {
  if (typeof maxTickAgeMs !== 'number' || !Number.isInteger(maxTickAgeMs) || maxTickAgeMs <= 0 || maxTickAgeMs > 2 ** 31 - 1) {
    return err(invalidArgument('maxTickAgeMs', maxTickAgeMs, 'is not a whole number of ms from 1 to 2^31-1', 'Pass a few autopilot intervals, e.g. 3 * intervalMs.'));
  }
  const base = { ticks: s.ticks, lastTickSucceeded: s.lastTickSucceeded };
  if (s.lastTickAt === null) {
    const waited = Math.max(0, now - createdAt);
    const healthy = waited <= maxTickAgeMs;
    return ok({ ...base, healthy, lastTickAgeMs: null, message: healthy ? `no tick yet (started ${waited} ms ago)` : `no tick in the ${waited} ms since the start (limit ${maxTickAgeMs} ms)` });
  }
  const age = Math.max(0, now - s.lastTickAt);
  const healthy = age <= maxTickAgeMs;
  return ok({ ...base, healthy, lastTickAgeMs: age, message: healthy ? `last tick ${age} ms ago` : `last tick ${age} ms ago, over the limit of ${maxTickAgeMs} ms` });
}

