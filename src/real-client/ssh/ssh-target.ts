import { err, ok, type Result } from 'neverthrow';
import { controlDirProblem, SHARED_SOCKET } from './control-path.js';
import { invalidArgument, type InvalidArgumentError } from '../../errors/index.js';

/** How to reach a remote host over OpenSSH. */
export interface SshOptions {
  /** The host name or address (as the user's ssh configuration knows it). */
  readonly host: string;
  /** The login user; default: as the ssh configuration says. */
  readonly user?: string;
  /** The port; default: as the ssh configuration says (22). */
  readonly port?: number;
  /** A private key file (`-i`). */
  readonly identityFile?: string;
  /** An ssh configuration file (`-F`); default the user's own. */
  readonly configFile?: string;
  /** Extra `-o` options, for example `['UserKnownHostsFile=/path/known_hosts']`. */
  readonly options?: readonly string[];
  /** VBoxManage on the remote host; default: `command -v VBoxManage`, then the standard install places. */
  readonly vboxManagePath?: string;
  /** How long the shared connection stays open after the last call, in seconds (`ControlPersist`). Default 60. */
  readonly controlPersistSec?: number;
  /**
   * A directory for the shared connection's socket, so that several clients (or processes) share one connection.
   * It must be private to this user (mode 0700), an absolute path of letters, digits, `.`, `_`, `-` and `/`, and short:
   * the socket (`%C`, 40 characters) and ssh's temporary suffix must fit in 103 bytes, so at most 45 characters.
   * Default: a new private directory per client, removed by `close()`.
   */
  readonly controlDir?: string;
}

const HOST = /^[A-Za-z0-9._:%-]+$/u;
const USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/u;

/** Check ssh options: names that cannot be read as ssh options or shell syntax, a port from 1 to 65535. @internal */
export function checkSshOptions(value: unknown): Result<SshOptions, InvalidArgumentError> {
  if (typeof value !== 'object' || value === null) return err(invalidArgument('ssh', value, 'is not an object', "Pass { host: 'lab-1', user: 'vbox' }."));
  const o = value as Record<string, unknown>;
  const known = ['host', 'user', 'port', 'identityFile', 'configFile', 'options', 'vboxManagePath', 'controlPersistSec', 'controlDir'];
  for (const k of Object.keys(o)) if (!known.includes(k)) return err(invalidArgument(`ssh.${k}`, o[k], 'is not a known option', `Known options: ${known.join(', ')}.`));
  if (typeof o['host'] !== 'string' || !HOST.test(o['host']) || o['host'].startsWith('-')) {
    return err(invalidArgument('ssh.host', o['host'], 'is not a host name or address', "Pass e.g. 'lab-1.example.net' or '192.0.2.10'."));
  }
  if (o['user'] !== undefined && (typeof o['user'] !== 'string' || !USER.test(o['user']))) return err(invalidArgument('ssh.user', o['user'], 'is not a user name', "Pass e.g. 'vbox'."));
  const port = o['port'];
  if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)) return err(invalidArgument('ssh.port', port, 'is not a port from 1 to 65535', 'Pass e.g. 22.'));
  for (const k of ['identityFile', 'configFile', 'vboxManagePath', 'controlDir']) {
    const v = o[k];
    if (v !== undefined && (typeof v !== 'string' || v === '' || v.includes('\0') || v.includes('\n'))) return err(invalidArgument(`ssh.${k}`, v, 'is not a file path', "Pass e.g. '/home/me/.ssh/id_ed25519'."));
  }
  const opts = o['options'];
  if (opts !== undefined && (!Array.isArray(opts) || opts.some((x) => typeof x !== 'string' || !/^[A-Za-z]+[= ]/u.test(x) || x.includes('\n')))) {
    return err(invalidArgument('ssh.options', opts, 'is not a list of ssh -o options', "Pass e.g. ['ConnectTimeout=5']."));
  }
  const dir = o['controlDir'];
  const dirProblem = typeof dir === 'string' ? controlDirProblem(dir.replace(/\/+$/u, ''), SHARED_SOCKET) : null;
  if (dirProblem !== null) return err(invalidArgument('ssh.controlDir', dir, dirProblem, "Pass a short private directory, e.g. one made by mkdtemp('/tmp/vbb-')."));
  const persist = o['controlPersistSec'];
  if (persist !== undefined && (typeof persist !== 'number' || !Number.isInteger(persist) || persist < 0 || persist > 86_400)) {
    return err(invalidArgument('ssh.controlPersistSec', persist, 'is not a whole number of seconds from 0 to 86400', 'Pass e.g. 60.'));
  }
  return ok(value as SshOptions);
}

/** Read `ssh://[user@]host[:port]` (or `user@host`) into {@link SshOptions}. */
export function parseSshTarget(target: string): Result<SshOptions, InvalidArgumentError> {
  if (typeof target !== 'string') return err(invalidArgument('ssh target', target, 'is not a string', "Pass e.g. 'ssh://vbox@lab-1:22'."));
  const m = /^(?:ssh:\/\/)?(?:([^@/]+)@)?(\[[^\]]+\]|[^:/@]+)(?::(\d{1,5}))?\/?$/u.exec(target);
  if (m === null || m[2] === undefined) return err(invalidArgument('ssh target', target, 'is not of the form ssh://user@host:port', "Pass e.g. 'ssh://vbox@lab-1:22'."));
  const host = m[2].replace(/^\[|\]$/gu, '');
  return checkSshOptions({ host, ...(m[1] === undefined ? {} : { user: m[1] }), ...(m[3] === undefined ? {} : { port: Number(m[3]) }) });
}
