// Across processes on one machine, `start --make-room` and `give-back` for the same VirtualBox host take turns: each
// holds a lock file in the private state directory while it plans and changes balloons, so that two starts never plan
// from the same snapshot and one's rollback never undoes the other's balloons. The file holds the holder's PID and
// start time; a lock whose process is gone (killed, crashed, the machine rebooted) is taken over.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkPrivateDir, errorText, readStateFile, writeNewFile } from './state-dir.js';

/** Who holds a lock. */
export interface LockHolder {
  readonly pid: number;
  /** The process's start time as the system counts it (Linux: clock ticks since boot), or `null` where unknown. */
  readonly started: string | null;
  /** What it runs: `start` or `give-back`. */
  readonly command: string;
  readonly host: string;
}

/** A lock held; `release` is safe to call twice. */
export interface HostLock {
  readonly file: string;
  release(): void;
}

/** Why the lock was not taken. */
export interface LockRefused {
  readonly code: 'LOCK_TIMEOUT' | 'ABORTED' | 'STATE_DIR';
  readonly message: string;
}

export interface LockOptions {
  /** How long to wait for another holder. */
  readonly timeoutMs: number;
  /** How often to look again (default 250 ms). */
  readonly pollMs?: number;
  readonly signal: AbortSignal;
  /** Told once when the lock is held by another process and this one waits. */
  readonly onWait: (holder: LockHolder) => void;
}

/** The start time of a process (Linux /proc), to tell a reused PID from the holder; `null` elsewhere. */
export function processStarted(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the process that holds a lock still runs (and is the same process, where the system can tell). */
export function holderAlive(h: LockHolder): boolean {
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'EPERM') return false;
  }
  const now = processStarted(h.pid);
  return h.started === null || now === null || now === h.started;
}

/** The lock file's name for a host key (`local`, `ssh:HOST:PORT`): a hash, so that no host name becomes a path. */
export const lockName = (hostKey: string): string => `lock-${createHash('sha256').update(hostKey).digest('hex').slice(0, 16)}`;

function readHolder(file: string): { holder: LockHolder | null; text: string } | null {
  const read = readStateFile(file);
  if ('problem' in read) return null; // gone meanwhile
  try {
    const h = JSON.parse(read.text) as Partial<LockHolder>;
    const ok = typeof h.pid === 'number' && Number.isSafeInteger(h.pid) && h.pid > 0 && typeof h.command === 'string' && typeof h.host === 'string';
    return { holder: ok ? { pid: h.pid, started: typeof h.started === 'string' ? h.started : null, command: h.command, host: h.host } : null, text: read.text };
  } catch {
    return { holder: null, text: read.text };
  }
}

// A takeover of a dead holder's lock happens under a second, short-lived lock, so that two waiters never both remove
// it (the second would remove the first's new lock). A takeover lock older than 10 s was left by a killed process.
function takeOver(dir: string, name: string, staleText: string): void {
  const guard = `${name}.takeover`;
  try {
    if (Date.now() - statSync(join(dir, guard)).mtimeMs > 10_000) rmSync(join(dir, guard), { force: true });
  } catch {
    // no guard: the usual case
  }
  if (!writeNewFile(dir, guard, `${process.pid}\n`)) return;
  try {
    const again = readStateFile(join(dir, name));
    if ('text' in again && again.text === staleText) rmSync(join(dir, name), { force: true });
  } finally {
    rmSync(join(dir, guard), { force: true });
  }
}

/** Take the lock of `hostKey` in `dir`, waiting up to `timeoutMs` for another process that holds it. */
export async function lockHost(dir: string, hostKey: string, command: string, o: LockOptions): Promise<HostLock | LockRefused> {
  const bad = checkPrivateDir(dir);
  if (bad !== null) return { code: 'STATE_DIR', message: bad.problem };
  const name = lockName(hostKey);
  const file = join(dir, name);
  const me: LockHolder = { pid: process.pid, started: processStarted(process.pid), command, host: hostKey };
  const text = `${JSON.stringify(me)}\n`;
  const deadline = Date.now() + o.timeoutMs;
  let told = false;
  let quick = 0; // tries in a row without a pause: a lock that is gone or dead is tried again at once, a few times
  for (;;) {
    if (o.signal.aborted) return { code: 'ABORTED', message: `interrupted while waiting for the lock in ${dir}; nothing was changed` };
    try {
      if (writeNewFile(dir, name, text)) return held(file, text);
    } catch (e) {
      return { code: 'STATE_DIR', message: `the lock cannot be written in ${dir} (${errorText(e)})` };
    }
    const now = readHolder(file);
    const holder = now?.holder ?? null;
    const alive = holder !== null && holderAlive(holder);
    if (!alive && quick < 5) {
      quick++;
      if (now !== null) takeOver(dir, name, now.text);
      continue;
    }
    quick = 0;
    if (holder !== null && alive && !told) {
      o.onWait(holder);
      told = true;
    }
    if (Date.now() >= deadline) {
      const who = holder === null ? 'another process' : `another vbox-balloon ${holder.command} on this host (pid ${holder.pid})`;
      return {
        code: 'LOCK_TIMEOUT',
        message: `${who} still holds ${file} after ${Math.round(o.timeoutMs / 1000)} s; nothing was changed. Wait for it and run this again (or raise --lock-timeout)${holder === null ? '' : `; if it is stuck, stop it (kill ${holder.pid})`}`,
      };
    }
    try {
      await sleep(Math.min(o.pollMs ?? 250, Math.max(1, deadline - Date.now())), undefined, { signal: o.signal });
    } catch {
      // aborted: said at the top of the loop
    }
  }
}

function held(file: string, text: string): HostLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const now = readStateFile(file);
    if ('text' in now && now.text === text) rmSync(file, { force: true });
  };
  // Also on process.exit (a second Ctrl-C): a lock left behind would only be taken over, but need not be.
  process.on('exit', release);
  return { file, release };
}
