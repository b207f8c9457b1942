// A small node:http server for Prometheus: GET /metrics (the registry) and GET /healthz (the autopilot is ticking).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { invalidArgument, type InvalidArgumentError } from '../errors/index.js';
import type { BalloonMetrics } from './balloon-metrics.js';
import { DEFAULT_METRICS_ADDRESS, isLoopbackHost, parseListenAddress } from './listen-address.js';

/** The metrics server could not listen (port in use, address not on this machine, no permission). */
export interface ListenFailedError {
  /** Discriminant. */
  readonly code: 'LISTEN_FAILED';
  /** Always `null`: no VM is involved. */
  readonly vm: null;
  /** The address asked for, as `host:port`. */
  readonly address: string;
  /** The system error code, for example `EADDRINUSE`, or `null`. */
  readonly cause: string | null;
  /** What went wrong and what to do. */
  readonly message: string;
}

/** Options of {@link serveMetrics}. */
export interface ServeMetricsOptions {
  /** Where to listen, `host:port`. Default `127.0.0.1:9464` (loopback); port 0 picks a free port. */
  readonly listen?: string;
  /** `/healthz` fails (503) when the last tick is older than this. Default 30 000: three of the autopilot's default 10 s intervals. */
  readonly maxTickAgeMs?: number;
  /** A scrape whose collectors have not answered after this long gets a 503 (default 10 000 ms): it is never held open. */
  readonly collectTimeoutMs?: number;
}

/** A running metrics server. */
export interface MetricsServer {
  /** The base URL, for example `http://127.0.0.1:9464`. */
  readonly url: string;
  /** The address it listens on, as asked for. */
  readonly host: string;
  /** The address it is bound to, as the system reports it (`0.0.0.0` or `::` is every interface). */
  readonly address: string;
  /** Whether it listens on loopback only; when false, anyone who can reach the machine can read the metrics. */
  readonly loopback: boolean;
  /** The port it listens on (the one picked when 0 was asked for). */
  readonly port: number;
  /** Stop listening and close every open connection. Never rejects. */
  close(): Promise<void>;
}

const HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
const INDEX = '<!doctype html><title>vbox-balloon metrics</title><h1>vbox-balloon</h1><p><a href="/metrics">/metrics</a> <a href="/healthz">/healthz</a></p>\n';

function send(res: ServerResponse, head: boolean, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...HEADERS, ...extra, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

function handler(metrics: Pick<BalloonMetrics, 'registry' | 'health'>, maxTickAgeMs: number, collectTimeoutMs: number) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      send(res, false, 405, 'text/plain; charset=utf-8', 'Only GET and HEAD.\n', { allow: 'GET, HEAD' });
      return;
    }
    if (path === '/metrics') {
      // Bounded: a collector that never answers must not hold the scrape (and its connection) open.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => {
          resolve('late');
        }, collectTimeoutMs);
      });
      Promise.race([metrics.registry.metrics(), late]).then(
        (text) => {
          clearTimeout(timer);
          if (text === 'late') send(res, head, 503, 'text/plain; charset=utf-8', `Collecting metrics took longer than ${collectTimeoutMs} ms.\n`);
          else send(res, head, 200, metrics.registry.contentType, text);
        },
        () => {
          clearTimeout(timer);
          // The collector's error text stays in this process: it may name hosts, paths or VMs.
          send(res, head, 500, 'text/plain; charset=utf-8', 'Collecting metrics failed.\n');
        },
      );
      return;
    }
    if (path === '/healthz') {
      const h = metrics.health(maxTickAgeMs);
      const [status, text] = h.isErr() ? [500, h.error.message] : [h.value.healthy ? 200 : 503, `${h.value.healthy ? 'ok' : 'unhealthy'}: ${h.value.message}`];
      send(res, head, status, 'text/plain; charset=utf-8', `${text}\n`);
      return;
    }
    if (path === '/') {
      send(res, head, 200, 'text/html; charset=utf-8', INDEX);
      return;
    }
    send(res, head, 404, 'text/plain; charset=utf-8', 'Not found: try /metrics or /healthz.\n');
  };
}

/**
 * Serve `metrics.registry` on `/metrics` and the tick freshness on `/healthz`, on loopback unless told otherwise.
 * Resolves once listening, or with `LISTEN_FAILED` (the port is taken, say) or `INVALID_ARGUMENT`.
 *
 * @example
 * const server = await serveMetrics(metrics, { listen: '127.0.0.1:9464', maxTickAgeMs: 3 * intervalMs });
 * // ... later
 * if (server.isOk()) await server.value.close();
 */
export function serveMetrics(
  metrics: Pick<BalloonMetrics, 'registry' | 'health'>,
  options: ServeMetricsOptions = {},
): ResultAsync<MetricsServer, InvalidArgumentError | ListenFailedError> {
  const checked = checkOptions(metrics, options);
  if (checked.isErr()) return new ResultAsync(Promise.resolve(err(checked.error)));
  const { host, port, maxTickAgeMs, collectTimeoutMs, address } = checked.value;
  const server = createServer(handler(metrics, maxTickAgeMs, collectTimeoutMs));
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  const listening = new Promise<Result<MetricsServer, ListenFailedError>>((resolve) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      resolve(err(listenFailed(address, e)));
    };
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      const bound = server.address();
      const actual = typeof bound === 'object' && bound !== null ? bound.port : port;
      const boundTo = typeof bound === 'object' && bound !== null ? bound.address : host;
      let closing: Promise<void> | undefined;
      resolve(
        ok(
          Object.freeze({
            url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
            host,
            address: boundTo,
            loopback: isLoopbackHost(boundTo),
            port: actual,
            close: () =>
              (closing ??= new Promise<void>((done) => {
                server.close(() => {
                  done();
                });
                server.closeAllConnections();
              })),
          }),
        ),
      );
    });
  });
  return new ResultAsync(listening);
}

function checkOptions(
  metrics: unknown,
  options: unknown,
): Result<{ host: string; port: number; maxTickAgeMs: number; collectTimeoutMs: number; address: string }, InvalidArgumentError> {
  const m = metrics as Partial<BalloonMetrics> | null;
  if (typeof m !== 'object' || m === null || typeof m.health !== 'function' || typeof m.registry?.metrics !== 'function') {
    return err(invalidArgument('metrics', metrics, 'is not what balloonMetrics() returns', 'Pass the value of balloonMetrics({ registry }).'));
  }
  if (typeof options !== 'object' || options === null) return err(invalidArgument('options', options, 'is not an object', "Pass { listen: '127.0.0.1:9464' }."));
  const o = options as ServeMetricsOptions;
  const address = o.listen ?? DEFAULT_METRICS_ADDRESS;
  const parsed = parseListenAddress(address);
  if (parsed.isErr()) return err(parsed.error);
  const maxTickAgeMs = o.maxTickAgeMs ?? 30_000;
  const collectTimeoutMs = o.collectTimeoutMs ?? 10_000;
  if (typeof collectTimeoutMs !== 'number' || !Number.isSafeInteger(collectTimeoutMs) || collectTimeoutMs < 1 || collectTimeoutMs > 2 ** 31 - 1) {
    return err(invalidArgument('collectTimeoutMs', collectTimeoutMs, 'is not a whole number of ms from 1 to 2147483647', 'Pass e.g. 10000.'));
  }
  // The same check as health() itself, made here so that a bad value fails at start rather than on every probe.
  const probe = m.health(maxTickAgeMs);
  if (probe.isErr()) return err(probe.error);
  return ok({ ...parsed.value, maxTickAgeMs, collectTimeoutMs, address });
}

function listenFailed(address: string, e: NodeJS.ErrnoException): ListenFailedError {
  const cause = typeof e.code === 'string' ? e.code : null;
  const fix =
    cause === 'EADDRINUSE'
      ? 'Another process has this port: pick another (e.g. --metrics 127.0.0.1:9465) or stop the other process.'
      : cause === 'EADDRNOTAVAIL'
        ? 'The host is not an address of this machine: use 127.0.0.1, or one of its own addresses.'
        : cause === 'EACCES'
          ? 'Ports below 1024 need privileges: pick a port above 1024.'
          : 'Check the address.';
  return Object.freeze({ code: 'LISTEN_FAILED', vm: null, address, cause, message: `The metrics server cannot listen on ${address}: ${e.message}. ${fix}` });
}
