// How the real client reaches VBoxManage on another host: through the system's ssh client, one shared connection
// per host, every argument quoted for the remote POSIX shell. Processes are run by the execa client (injected).
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { err, ok, type Result } from 'neverthrow';
import { isChangeCommand, sshFailed, vboxManageNotFound, type BalloonError } from '../errors/index.js';
import { sshFailureKind } from './ssh/classify-ssh.js';
import { privateDirParent } from './ssh/control-path.js';
import { POSIX_PROBE, REMOTE_NOT_FOUND, REMOTE_VBOXMANAGE_PLACES, remoteScript } from './ssh/remote-script.js';
import { sshArgv, sshExitArgv } from './ssh/ssh-argv.js';
import type { SshOptions } from './ssh/ssh-target.js';

/** What a finished process left. @internal */
export interface Finished {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a process to its end (the execa client's own runner, with its timeout and kill handling). @internal */
export type RunProcess = (file: string, args: readonly string[], options: { readonly timeoutMs: number; readonly signal?: AbortSignal | undefined }) => Promise<Finished>;

/** The program and argv that run one VBoxManage call. @internal */
export interface Launch {
  readonly file: string;
  readonly args: readonly string[];
  /** Keep stdin open (and never write to it): on the remote side, its EOF tells the command that the caller is gone. */
  readonly keepStdinOpen: boolean;
  /** How long the output pipes may stay open after the process exits (see RunProcessOptions.pipeGraceMs). */
  readonly pipeGraceMs?: number;
}

// Over a shared connection the ControlMaster holds the output pipes and writes the last of the output after the ssh
// client has exited: wait for it (a call's own time limit still bounds everything).
const SSH_PIPE_GRACE_MS = 5000;

/** @internal */
export class SshLauncher {
  readonly #o: SshOptions;
  readonly #run: RunProcess;
  #dir: Promise<string | null> | undefined;
  #probed: Promise<Result<void, BalloonError>> | undefined;

  constructor(options: SshOptions, run: RunProcess) {
    this.#o = options;
    this.#run = run;
  }

  get host(): string {
    return this.#o.host;
  }

  // A private directory for the ControlPath socket: mkdtemp makes it 0700, so only this user can reach the connection.
  // It is made where its path is short and plain enough for a socket: TMPDIR, else /tmp, else HOME.
  #controlDir(): Promise<string | null> {
    if (this.#dir === undefined) {
      const given = this.#o.controlDir;
      const parent = given === undefined ? privateDirParent([tmpdir(), '/tmp', homedir()]) : null;
      this.#dir = given !== undefined ? Promise.resolve(given.replace(/\/+$/u, '')) : parent === null ? Promise.resolve(null) : mkdtemp(join(parent, 'vbb-')).catch(() => null);
    }
    return this.#dir;
  }

  /** The launch of `VBoxManage <args>` on the remote host; the first call checks that the login shell is POSIX. */
  async launch(args: readonly string[], timeoutMs: number, signal: AbortSignal | undefined): Promise<Result<Launch, BalloonError>> {
    const dir = await this.#controlDir();
    if (dir === null) {
      this.#dir = undefined; // look again next time
      const where = `TMPDIR (${JSON.stringify(tmpdir())}), /tmp and HOME`;
      return err(sshFailed(this.#o.host, 'other', args, `no private directory for the ssh connection's socket could be made in ${where}: each is too long for a socket path (about 104 bytes), holds a space or %, or cannot be written; set TMPDIR to a short directory such as /tmp`, null));
    }
    this.#probed ??= this.#probe(dir, timeoutMs, signal).then((r) => {
      if (r.isErr() && r.error.code === 'SSH_FAILED' && r.error.transient) this.#probed = undefined; // try again next time
      return r;
    });
    const probed = await this.#probed;
    if (probed.isErr()) {
      const e = probed.error;
      // The check failed before this call could run: the error names the call, as any other ssh failure does.
      return err(e.code === 'SSH_FAILED' ? sshFailed(e.host, e.kind, args, e.stderr, null, e.outcome) : ({ ...e, argv: args } as BalloonError));
    }
    const remote = remoteScript(args, { vboxManagePath: this.#o.vboxManagePath, timeoutMs });
    return ok({ file: 'ssh', args: sshArgv(this.#o, dir, remote), keepStdinOpen: true, pipeGraceMs: Math.min(SSH_PIPE_GRACE_MS, timeoutMs) });
  }

  async #probe(dir: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<Result<void, BalloonError>> {
    const r = await this.#run('ssh', sshArgv(this.#o, dir, POSIX_PROBE.command), { timeoutMs, signal });
    if (r.exitCode === 255) return err(sshFailed(this.#o.host, sshFailureKind(r.stderr), [], r.stderr, null));
    if (r.exitCode === 0 && r.stdout.trim() === POSIX_PROBE.expect) return ok(undefined);
    if (r.exitCode === null) return err(sshFailed(this.#o.host, 'other', [], r.stderr || 'the connection check was stopped', null));
    return err(sshFailed(this.#o.host, 'shell', [], `the remote shell answered ${JSON.stringify(r.stdout.trim().slice(0, 80))} to ${POSIX_PROBE.command}`, null));
  }

  /** A failure that belongs to ssh (or to finding VBoxManage remotely) rather than to VBoxManage, or `null`. */
  failure(r: Finished, args: readonly string[], vm: string | null): BalloonError | null {
    if (r.exitCode === 255) {
      const kind = sshFailureKind(r.stderr);
      // Only a dropped (or unexplained) connection can have cut a change short; the others never reached the host.
      const doubt = isChangeCommand(args) && (kind === 'dropped' || kind === 'other') ? 'unknown' : 'not-applied';
      return sshFailed(this.#o.host, kind, args, r.stderr, vm, doubt);
    }
    if (r.exitCode === 127 && r.stderr.includes(REMOTE_NOT_FOUND)) {
      const places = this.#o.vboxManagePath === undefined ? ['PATH (command -v)', ...REMOTE_VBOXMANAGE_PLACES] : [this.#o.vboxManagePath];
      return vboxManageNotFound(places.map((p) => `${this.#o.host}:${p}`), 'not-installed', 'remote');
    }
    return null;
  }

  /** End the shared connection and remove its private directory (a `controlDir` of the caller's stays). */
  async close(): Promise<void> {
    if (this.#dir === undefined) return;
    const dir = await this.#dir;
    this.#dir = undefined;
    if (dir === null) return;
    await this.#run('ssh', sshExitArgv(this.#o, dir), { timeoutMs: 10_000 });
    if (this.#o.controlDir === undefined) await rm(dir, { recursive: true, force: true }); // a given directory is the caller's
    this.#probed = undefined;
  }
}
