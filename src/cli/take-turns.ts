// `start --make-room` and `give-back` take turns per VirtualBox host across processes (see host-lock.ts): the host
// a command line is about, and running a command's changes under that host's lock.
import { parseSshTarget } from '../index.js';
import type { CommandContext } from './command.js';
import { EXIT } from './exit-codes.js';
import { lockHost } from './host-lock.js';
import { boolFlag } from './parse-command-line.js';
import { simulatedDir } from './simulated-host.js';
import { safeLine } from './text.js';

/** How long a start or give-back waits for another one on the same host by default: 5 minutes. */
export const DEFAULT_LOCK_TIMEOUT_MS = 5 * 60_000;

/** Where a command's room records go: the simulated host's folder with --simulate, else the state directory itself. */
export function recordsDir(ctx: CommandContext, dir: string): string {
  return boolFlag(ctx.args, 'simulate') ? simulatedDir(dir) : dir;
}

/** The host a record is about: the --host target(s) as given, or this machine. */
export function hostLabel(ctx: CommandContext): string {
  const h = ctx.args.values['host'];
  if (typeof h === 'string') return h;
  if (Array.isArray(h) && h.length > 0) return h.join(',');
  return boolFlag(ctx.args, 'simulate') ? 'simulated' : 'local';
}

/**
 * The host whose memory a command changes, as the lock knows it: `local`, `simulated` (--simulate: its host is kept
 * in the state directory between runs), or `ssh:HOST:PORT` with the host name in lower case (the same machine
 * however it is spelled).
 */
export function hostKey(ctx: CommandContext): string {
  const label = hostLabel(ctx);
  if (label === 'simulated' || label === 'local') return label;
  return targetKey(label);
}

/** The lock's name for an ssh target: `ssh:HOST:PORT`, the host in lower case. */
export function targetKey(target: string): string {
  const t = parseSshTarget(target);
  return t.isOk() ? `ssh:${t.value.host.toLowerCase()}:${t.value.port ?? 22}` : `ssh:${target.toLowerCase()}`;
}

const EXIT_FOR = { LOCK_TIMEOUT: EXIT.timeout, ABORTED: EXIT.interrupted, STATE_DIR: EXIT.error } as const;

/** Run `changes` while holding the host's lock in `dir`; say so when another process holds it and this one waits. */
export async function withHostLock(ctx: CommandContext, dir: string, command: string, timeoutMs: number, changes: () => Promise<number>): Promise<number> {
  const key = hostKey(ctx);
  return withHostLocks(ctx, dir, [key], command, timeoutMs, changes);
}

/**
 * Run `changes` while holding every host's lock in `dir` (a start across hosts may change any of them), taken in a
 * fixed order so that two such runs never wait for each other in a circle.
 */
export async function withHostLocks(ctx: CommandContext, dir: string, keys: readonly string[], command: string, timeoutMs: number, changes: () => Promise<number>): Promise<number> {
  const [key, ...rest] = [...new Set(keys)].sort();
  if (key === undefined) return changes();
  const lock = await lockHost(dir, key, command, {
    timeoutMs,
    signal: ctx.interrupt,
    onWait: (h) => {
      ctx.ui.note(`waiting for another vbox-balloon ${h.command} on this host (pid ${h.pid})… (up to ${Math.round(timeoutMs / 1000)} s; --lock-timeout)`);
    },
  });
  if ('code' in lock) {
    if (ctx.ui.json) ctx.ui.printJson({ error: lock });
    ctx.ui.writeErr(`error: ${safeLine(lock.message)}\n`);
    return EXIT_FOR[lock.code];
  }
  try {
    return await (rest.length === 0 ? changes() : withHostLocks(ctx, dir, rest, command, timeoutMs, changes));
  } finally {
    lock.release();
  }
}
