// Where the metrics server listens: `host:port`, loopback unless the operator names another address.
import { isIP } from 'node:net';
import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, type InvalidArgumentError } from '../errors/index.js';

/** The address the metrics server listens on by default: loopback only, port 9464. */
export const DEFAULT_METRICS_ADDRESS = '127.0.0.1:9464';

/** A parsed listen address. */
export interface ListenAddress {
  /** The host or IP to bind (IPv6 without brackets). */
  readonly host: string;
  /** The port; 0 picks a free one. */
  readonly port: number;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/u;

/**
 * Parse `127.0.0.1:9464`, `[::1]:9464`, `localhost:9464` or a bare port (`9464`, on 127.0.0.1). A missing host
 * (`:9464`) is refused rather than read as "every interface": binding beyond loopback must be spelled out
 * (`0.0.0.0:9464`).
 */
export function parseListenAddress(value: unknown): Result<ListenAddress, InvalidArgumentError> {
  const bad = (problem: string): Result<ListenAddress, InvalidArgumentError> =>
    err(invalidArgument('listen', value, problem, `Pass host:port, e.g. '${DEFAULT_METRICS_ADDRESS}' (or '0.0.0.0:9464' to listen on every interface).`));
  if (typeof value !== 'string') return bad('is not a string');
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]*)):(\d{1,5})$/u.exec(value) ?? /^()()(\d{1,5})$/u.exec(value);
  if (m === null) return bad('is not host:port');
  const port = Number(m[3]);
  if (port > 65535) return bad('has a port above 65535');
  const v6 = m[1];
  if (v6 !== undefined && v6 !== '') return isIP(v6) === 6 ? ok({ host: v6, port }) : bad('has a bracketed host that is not an IPv6 address');
  const host = m[2] ?? '';
  if (host === '' && /^\d+$/u.test(value)) return ok({ host: '127.0.0.1', port });
  if (host === '') return bad('has no host (say 0.0.0.0 explicitly to listen on every interface)');
  if (isIP(host) === 4) return ok({ host, port });
  // The resolver reads `0`, `0x0`, `0.0` or `127.1` as IPv4 addresses (inet_aton): `0:9464` would bind every interface
  // while looking like a name. A host that ends in a number, or has a hex label, must be a whole dotted quad.
  const labels = host.split('.');
  if (/^\d+$/u.test(labels[labels.length - 1] ?? '') || labels.some((l) => /^0x/iu.test(l))) {
    return bad('is a number but not a whole IPv4 address (four decimal parts; 0.0.0.0 for every interface)');
  }
  if (HOSTNAME.test(host)) return ok({ host, port });
  return bad('has a host that is neither an IPv4 address, a bracketed IPv6 address, nor a host name');
}

/** Whether a listen host is loopback only: 127.0.0.0/8, ::1 or `localhost`. Anything else must be spelled out to the operator. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.')) || /^::ffff:127\./u.test(h);
}
