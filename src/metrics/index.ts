// The `vbox-balloon/metrics` entry: Prometheus metrics in a prom-client registry you pass in, fed by the SDK's
// events, and a small HTTP server for /metrics and /healthz. prom-client is an optional peer dependency: only this
// entry imports it, never the main one.

export type { BalloonMetrics, BalloonMetricsOptions, MetricsHealth } from './balloon-metrics.js';
export { balloonMetrics } from './balloon-metrics.js';
export type { MetricName, MetricsRegistry } from './collectors.js';
export { METRIC_CATALOGUE, METRIC_NAMES, VBOXMANAGE_DURATION_BUCKETS } from './collectors.js';
export { commandLabel } from './command-label.js';
export type { ListenAddress } from './listen-address.js';
export { DEFAULT_METRICS_ADDRESS, parseListenAddress } from './listen-address.js';
export type { ListenFailedError, MetricsServer, ServeMetricsOptions } from './serve-metrics.js';
export { serveMetrics } from './serve-metrics.js';
