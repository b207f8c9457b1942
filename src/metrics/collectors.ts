// The metric catalogue: every name, HELP text, type and label set in one place (docs/metrics.md mirrors it).
import { Counter, Gauge, Histogram, type OpenMetricsContentType, type Registry } from 'prom-client';

/** A prom-client registry, of either content type. */
export type MetricsRegistry = Registry | Registry<OpenMetricsContentType>;

/** Buckets of the VBoxManage duration histogram, in seconds: from a quick `list` to the client's 60 s timeout. */
export const VBOXMANAGE_DURATION_BUCKETS: readonly number[] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Every metric this module registers, by name, with its type, labels and HELP text. */
export const METRIC_CATALOGUE = {
  vbox_balloon_guest_backing_bytes: {
    type: 'gauge',
    labels: ['host'],
    help: 'Host memory backing the guests at the last tick, as the host-memory model counts it: RAM minus the balloon of a VM that balloons, all of the RAM of one that cannot (large pages, no Guest Additions or statistics).',
  },
  vbox_balloon_budget_bytes: {
    type: 'gauge',
    labels: ['host'],
    help: "The budget on the memory backing the guests: the budget policy's, else the default 80 % of host RAM.",
  },
  vbox_balloon_headroom_bytes: {
    type: 'gauge',
    labels: ['host'],
    help: 'What the budget has left at the last tick: budget minus backing minus memory reserved for starts, at least 0.',
  },
  vbox_balloon_host_memory_bytes: {
    type: 'gauge',
    labels: ['host'],
    help: 'Host RAM as VirtualBox reports it.',
  },
  vbox_balloon_running_vms: {
    type: 'gauge',
    labels: ['host'],
    help: 'VMs in the autopilot snapshot at the last tick: running ones (large pages on included) and those outside the running list that hold memory.',
  },
  vbox_balloon_vm_memory_bytes: {
    type: 'gauge',
    labels: ['host', 'vm'],
    help: "A running VM's configured RAM.",
  },
  vbox_balloon_vm_balloon_bytes: {
    type: 'gauge',
    labels: ['host', 'vm'],
    help: 'The balloon the guest has achieved (Guest/RAM/Usage/Balloon) at the last tick.',
  },
  vbox_balloon_vm_balloon_target_bytes: {
    type: 'gauge',
    labels: ['host', 'vm'],
    help: "The balloon last asked for: the autopilot's last plan for the VM, or a later change made through the controller.",
  },
  vbox_balloon_vm_balloon_max_bytes: {
    type: 'gauge',
    labels: ['host', 'vm'],
    help: "The most the VM's balloon may take: VirtualBox's limit for its RAM, capped by the VM's own maxBalloonMb limit (0 when ballooning is off for it).",
  },
  vbox_balloon_vm_guest_free_bytes: {
    type: 'gauge',
    labels: ['host', 'vm'],
    help: 'Free memory the guest reports (Guest/RAM/Usage/Free); absent while the guest does not report.',
  },
  vbox_balloon_vm_guest_total_bytes: {
    type: 'gauge',
    labels: ['host', 'vm'],
    help: 'Memory the guest reports it has (Guest/RAM/Usage/Total); absent while the guest does not report.',
  },
  vbox_balloon_ticks_total: {
    type: 'counter',
    labels: ['host'],
    help: 'Autopilot ticks run, failed ones included.',
  },
  vbox_balloon_guest_pushbacks_total: {
    type: 'counter',
    labels: ['host'],
    help: 'Guests that pushed back after their balloon grew (free memory under their reserve, or most of an inflation taken back): each was deflated at once and cooled down.',
  },
  vbox_balloon_guests_cooling_down: {
    type: 'gauge',
    labels: ['host'],
    help: 'Guests cooling down at the last tick after pushing back: not inflated, not donors for make room or reclaim.',
  },
  vbox_balloon_tick_failures_total: {
    type: 'counter',
    labels: ['host', 'code'],
    help: 'Autopilot ticks that failed as a whole (nothing was planned), by error code.',
  },
  vbox_balloon_changes_total: {
    type: 'counter',
    labels: ['host', 'kind', 'direction'],
    help: 'Balloon changes made, by kind (live: the running VM, default: the size requested at start) and direction (inflate, deflate).',
  },
  vbox_balloon_change_failures_total: {
    type: 'counter',
    labels: ['host', 'code'],
    help: 'Balloon changes the autopilot planned but could not make, by error code.',
  },
  vbox_balloon_vm_errors_total: {
    type: 'counter',
    labels: ['host', 'code'],
    help: 'Other per-VM failures in autopilot ticks (a VM that could not be inspected, large pages on), by error code.',
  },
  vbox_balloon_warnings_total: {
    type: 'counter',
    labels: ['host'],
    help: 'Warnings the controller reported through onEvent.',
  },
  vbox_balloon_last_tick_success: {
    type: 'gauge',
    labels: ['host'],
    help: 'Whether the last autopilot tick ran without any error (1) or not (0).',
  },
  vbox_balloon_last_tick_timestamp_seconds: {
    type: 'gauge',
    labels: ['host'],
    help: 'When the last autopilot tick started, in seconds since the Unix epoch.',
  },
  vbox_balloon_vboxmanage_invocations_total: {
    type: 'counter',
    labels: ['host', 'command', 'result'],
    help: 'VBoxManage processes run, retries included, by command and result (ok: exit code 0, failed: another exit code, killed: no exit code).',
  },
  vbox_balloon_vboxmanage_retries_total: {
    type: 'counter',
    labels: ['host', 'command'],
    help: 'VBoxManage processes that were retries of a transient failure, by command.',
  },
  vbox_balloon_vboxmanage_duration_seconds: {
    type: 'histogram',
    labels: ['host', 'command'],
    help: 'How long VBoxManage processes ran, by command.',
  },
} as const;

/** The name of a metric this module registers. */
export type MetricName = keyof typeof METRIC_CATALOGUE;

type Labels<N extends MetricName> = (typeof METRIC_CATALOGUE)[N]['labels'][number];
type Collector<N extends MetricName> = (typeof METRIC_CATALOGUE)[N]['type'] extends 'counter'
  ? Counter<Labels<N>>
  : (typeof METRIC_CATALOGUE)[N]['type'] extends 'histogram'
    ? Histogram<Labels<N>>
    : Gauge<Labels<N>>;

/** One collector per catalogue entry. @internal */
export type Collectors = { readonly [N in MetricName]: Collector<N> };

/** The names in the catalogue. */
export const METRIC_NAMES: readonly MetricName[] = Object.keys(METRIC_CATALOGUE) as MetricName[];

/** Create and register every collector in `registry`. Throws what prom-client throws (the caller checks first). @internal */
export function createCollectors(registry: MetricsRegistry): Collectors {
  const made: Record<string, Counter | Gauge | Histogram> = {};
  for (const name of METRIC_NAMES) {
    const { type, labels, help } = METRIC_CATALOGUE[name];
    const config = { name, help, labelNames: [...labels], registers: [registry] };
    made[name] = type === 'counter' ? new Counter(config) : type === 'histogram' ? new Histogram({ ...config, buckets: [...VBOXMANAGE_DURATION_BUCKETS] }) : new Gauge(config);
  }
  return made as unknown as Collectors;
}
