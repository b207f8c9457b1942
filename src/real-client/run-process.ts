// Runs one process for the real client and settles on the process's OWN exit: a descendant that keeps stdout open
// (a daemon started in its own session) can no longer hold the call past its time limit. Output is read up to a cap.
import { readdirSync, readFileSync } from 'node:fs';

/** The most a single VBoxManage call may print (stdout and stderr together): 16 MiB. */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

// After the process exits, how long its pipes may stay open before they are closed from this side.
const PIPE_GRACE_MS = 50;

/** What a run left behind. @internal */
export interface ProcessRun {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Why it was stopped from this side, if it was. */
  readonly stopped: 'timeout' | 'aborted' | 'overflow' | null;
  /** Set when the process could not be started (`ENOENT`, `EACCES`, …). */
  readonly spawnError: { readonly code: string | undefined; readonly message: string } | null;
  readonly durationMs: number;
  /** Whether the process was started at all (an abort before the start runs nothing). */
  readonly spawned: boolean;
}

/** @internal */
export interface RunProcessOptions {
  readonly env: Record<string, string>;
  readonly keepStdinOpen: boolean;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly maxOutputBytes?: number;
  /**
   * After the process exits, how long its pipes may stay open before this side closes them. Default 50 ms. Over a
   * shared ssh connection the ControlMaster, not the exiting ssh client, writes the last output into the pipes, so
   * the ssh launcher waits longer for it.
   */
  readonly pipeGraceMs?: number;
}

// Every descendant of `pid` that is still its descendant now (Linux /proc; elsewhere nothing is found). A child in
// its own session is not in the process group, so the group kill alone would miss it.
function descendants(pid: number): number[] {
  if (process.platform !== 'linux') return [];
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const todo = [pid];
  while (todo.length > 0) {
    const next = todo.pop() ?? 0;
    for (const c of children.get(next) ?? []) {
      out.push(c);
      todo.push(c);
    }
  }
  return out;
}

const kill = (pid: number): void => {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
};

/** Run `file` with `args` (an argv array, never a shell). Never rejects. @internal */
export async function runProcess(file: string, args: readonly string[], o: RunProcessOptions): Promise<ProcessRun> {
  const started = performance.now();
  const cap = o.maxOutputBytes ?? MAX_OUTPUT_BYTES;
  const windows = process.platform === 'win32';
  const { execa } = await import('execa');
  // The signal may have fired while execa was loading: start nothing then.
  if (o.signal?.aborted === true) {
    return { exitCode: null, signal: null, stdout: '', stderr: '', stopped: 'aborted', spawnError: null, durationMs: 0, spawned: false };
  }
  const start = () =>
    execa(file, [...args], {
    reject: false,
    buffer: false,
    env: o.env,
    extendEnv: true,
    stdin: o.keepStdinOpen ? 'pipe' : 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    // Its own process group, so that a timeout or an abort can kill VBoxManage and anything it started.
    detached: !windows,
    windowsHide: true,
  });
  let child: ReturnType<typeof start>;
  try {
    child = start();
  } catch (e) {
    return { exitCode: null, signal: null, stdout: '', stderr: '', stopped: null, spawnError: { code: undefined, message: String(e) }, durationMs: 0, spawned: false };
  }
  let stopped: ProcessRun['stopped'] = null;
  const out: Buffer[] = [];
  const errOut: Buffer[] = [];
  let bytes = 0;
  const killTree = (): void => {
    if (child.pid === undefined) return;
    const pid = child.pid;
    const below = descendants(pid);
    if (!windows) kill(-pid);
    else child.kill('SIGKILL');
    for (const d of below) kill(d);
    kill(pid);
  };
  const stop = (why: NonNullable<ProcessRun['stopped']>): void => {
    if (stopped !== null) return;
    stopped = why;
    killTree();
  };
  const collect = (into: Buffer[]) => (chunk: Buffer | string): void => {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (bytes + b.length > cap) {
      stop('overflow');
      return;
    }
    bytes += b.length;
    into.push(b);
  };
  child.stdout.on('data', collect(out));
  child.stderr.on('data', collect(errOut));
  const closed = (s: NodeJS.ReadableStream | null | undefined): Promise<void> =>
    s === null || s === undefined ? Promise.resolve() : new Promise((resolve) => { s.once('close', () => { resolve(); }); });
  const pipesClosed = Promise.all([closed(child.stdout), closed(child.stderr)]);
  const timer = setTimeout(() => { stop('timeout'); }, o.timeoutMs);
  const onAbort = (): void => { stop('aborted'); };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if ((o.signal as { aborted?: boolean } | undefined)?.aborted === true) onAbort(); // it fired while starting

  const exited = new Promise<{ code: number | null; signal: string | null } | null>((resolve) => {
    child.once('exit', (code, sig) => { resolve({ code, signal: sig }); });
    // execa settles (with reject: false) also when the process never started; then there is no exit event.
    void child.then((r) => { if (r.exitCode === undefined && r.signal === undefined) resolve(null); }, () => { resolve(null); });
  });
  const exit = await exited;
  clearTimeout(timer);
  o.signal?.removeEventListener('abort', onAbort);
  if (exit === null) {
    const r = await child.catch((e: unknown) => e as { code?: string; shortMessage?: string; message?: string });
    const info = r as { code?: string; shortMessage?: string; message?: string };
    return {
      exitCode: null,
      signal: null,
      stdout: '',
      stderr: '',
      stopped,
      spawnError: { code: info.code, message: info.shortMessage ?? info.message ?? 'could not start' },
      durationMs: performance.now() - started,
      spawned: false,
    };
  }
  // The process is gone. Its pipes normally close at once; a descendant that still holds them (in another session)
  // must not hold the call: close them from this side after a short grace. Other sessions' processes are left alone
  // (one may be VBoxSVC), except after a timeout or an abort, when the whole tree was killed above.
  let graceTimer: NodeJS.Timeout | undefined;
  await Promise.race([pipesClosed, new Promise<void>((resolve) => { graceTimer = setTimeout(resolve, o.pipeGraceMs ?? PIPE_GRACE_MS); })]);
  clearTimeout(graceTimer);
  child.stdout.destroy();
  child.stderr.destroy();
  void child.catch(() => undefined);
  return {
    exitCode: exit.code,
    signal: exit.signal,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(errOut).toString('utf8'),
    stopped,
    spawnError: null,
    durationMs: performance.now() - started,
    spawned: true,
  };
}

