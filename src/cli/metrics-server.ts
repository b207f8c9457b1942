// `autopilot --metrics ADDR`: Prometheus metrics of the run, served on ADDR (loopback unless the operator says
// otherwise). prom-client is an optional peer of vbox-balloon: it is loaded only when the flag is given.
import { hostname } from 'node:os';
import type { TickEvent } from '../index.js';
import type { Connection } from './connect.js';

/** A running metrics server fed by the connection's events. */
export interface CliMetrics {
  readonly url: string;
  readonly onTick: (event: TickEvent) => void;
  close(): Promise<void>;
}

/** Start serving metrics on `listen`, or say why not (prom-client missing, a bad address, the port taken). */
export async function startMetrics(conn: Connection, listen: string, intervalMs: number): Promise<CliMetrics | { readonly problem: string; readonly usage: boolean }> {
  let promClient: { Registry: new () => unknown };
  try {
    promClient = await import('prom-client');
  } catch {
    return { problem: '--metrics needs the prom-client package next to vbox-balloon: npm install prom-client (for a global install: npm install -g vbox-balloon prom-client)', usage: false };
  }
  const { balloonMetrics, serveMetrics } = await import('../metrics/index.js');
  const made = balloonMetrics({ registry: new promClient.Registry() as never, host: hostname() });
  if (made.isErr()) return { problem: made.error.message, usage: false };
  const m = made.value;
  conn.onEvent(m.onEvent);
  conn.onCommand(m.onCommand);
  const served = await serveMetrics(m, { listen, maxTickAgeMs: 3 * intervalMs });
  if (served.isErr()) return { problem: served.error.message, usage: served.error.code === 'INVALID_ARGUMENT' };
  const server = served.value;
  return {
    url: server.url,
    onTick: m.onTick,
    close: () => server.close(),
  };
}
