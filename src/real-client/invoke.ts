// How the real client runs one VBoxManage call: locate VBoxManage (or launch it over ssh), run the process under a
// time limit, classify what it printed, retry transient lock errors, at most `maxConcurrency` processes at once and
// one change at a time per VM.
import { err, ok, type Result } from 'neverthrow';
import { aborted, isChangeCommand, timeout, vboxManageFailed, vboxManageNotFound, type BalloonError } from '../errors/index.js';
import { MUTABLE_STATES, STARTABLE_STATES } from '../domain/vm-state.js';
import { argv as commands } from '../port/argv.js';
import { classifyFailure, isVBoxManageFailure, settingsOnRunningVm } from '../port/classify-failure.js';
import type { CallOptions } from '../port/client.js';
import { parseShowVmInfo } from '../port/parse/showvminfo.js';
import { stillRunning, UNREGISTER_STATES } from '../port/clone-vm.js';
import { alreadyRunning } from '../port/start-vm.js';
import { sleep } from '../util/sleep.js';
import { roomForCall } from './listener-room.js';
import type { ClientSettings } from './client-options.js';
import { KeyedQueue } from '../util/keyed-queue.js';
import { Semaphore } from './limiter.js';
import { locateVBoxManage } from './locate-vboxmanage.js';
import { MAX_OUTPUT_BYTES, runProcess } from './run-process.js';
import { SshLauncher, type Finished, type Launch } from './ssh-launcher.js';

/** Run one VBoxManage call and return its stdout, or the error it gave. @internal */
export type Exec = (argv: readonly string[], vm: string | null, options: CallOptions & { mutation?: boolean }) => Promise<Result<string, BalloonError>>;

const normalize = (s: unknown): string => (typeof s === 'string' ? s.replace(/\r\n/gu, '\n') : '');

/** Runs VBoxManage calls for one client, with its settings. @internal */
export class Invoker {
  readonly #s: ClientSettings;
  readonly #processes: Semaphore;
  readonly #perVm = new KeyedQueue();
  #located: Promise<Result<string, BalloonError>> | undefined;
  readonly #ssh: SshLauncher | null;
  readonly #vmKey: (vm: string) => string;

  /** `vmKey` names a VM's queue of changes, the same whichever way the VM is named (the UUID when it is known). */
  constructor(settings: ClientSettings, vmKey: (vm: string) => string = (vm) => vm) {
    this.#s = settings;
    this.#vmKey = vmKey;
    this.#processes = new Semaphore(settings.maxConcurrency);
    this.#ssh = settings.ssh === null ? null : new SshLauncher(settings.ssh, (file, args, opts) => this.#raw(file, args, opts));
  }

  /** The remote host, for calls over ssh; `null` for the VBoxManage on this machine. */
  get host(): string | null {
    return this.#ssh?.host ?? null;
  }

  /** End the shared ssh connection (if any). */
  async close(): Promise<void> {
    await this.#ssh?.close();
  }

  // Arrow property so that it can be passed around without losing `this`.
  readonly exec: Exec = (args, vm, options) => {
    const ended = roomForCall(options.signal);
    const attempt = (): Promise<Result<string, BalloonError>> => this.#withRetries(args, vm, options.signal, options.timeoutMs ?? this.#s.timeoutMs);
    // Two changes to one VM never overlap: VirtualBox would answer the second with a lock error.
    // A call given up while it waits (for the VM's queue or a process slot) ran nothing.
    const gaveUp = (): Result<string, BalloonError> => err(aborted(vm, args, 'not-applied'));
    const call = options.mutation === true && vm !== null ? this.#perVm.run(this.#vmKey(vm), attempt, options.signal, gaveUp) : attempt();
    return call.finally(ended);
  };

  async #withRetries(args: readonly string[], vm: string | null, signal: AbortSignal | undefined, timeoutMs: number): Promise<Result<string, BalloonError>> {
    if (this.#s.invalid !== null) return err(this.#s.invalid);
    const retry = this.#s.retry;
    for (let attempt = 1; ; attempt++) {
      const result = await this.#processes.run(() => this.#once(args, vm, signal, attempt, timeoutMs), signal, () => err(aborted(vm, args, 'not-applied')));
      if (result.isOk()) return result;
      const e = result.error;
      // A change whose outcome is unknown (a dropped ssh connection) is never run again.
      const transient = (e.code === 'VM_LOCKED' || e.code === 'VBOXMANAGE_FAILED' || (e.code === 'SSH_FAILED' && e.outcome === 'not-applied')) && e.transient;
      // modifyvm and startvm meet "already locked" both when a running VM's own session holds the lock (for as long as it runs)
      // and when another session holds it briefly: one showvminfo tells them apart before any retry.
      if (e.code === 'VM_LOCKED' && (args[0] === 'modifyvm' || args[0] === 'startvm' || args[0] === 'unregistervm') && vm !== null && attempt === 1) {
        const held = await this.#heldByRunningVm(vm, args[0], signal, timeoutMs);
        if (held !== null) return err(held);
      }
      if (!transient || attempt >= retry.attempts) return result;
      if (!(await sleep(retry.delayMs * 2 ** (attempt - 1), signal))) return err(aborted(vm, args, 'not-applied')); // the last try was refused
    }
  }

  // The INVALID_VM_STATE for a settings change on a VM whose own session holds the lock (it runs), else null.
  async #heldByRunningVm(vm: string, command: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<BalloonError | null> {
    const args = commands.showVmInfo(vm);
    const out = await this.#processes.run(() => this.#once(args, vm, signal, 1, timeoutMs), signal, () => err(aborted(vm, args, 'not-applied')));
    if (out.isErr()) return null;
    const info = parseShowVmInfo(out.value);
    const free = command === 'startvm' ? STARTABLE_STATES : command === 'unregistervm' ? UNREGISTER_STATES : MUTABLE_STATES;
    if (info.isErr() || free.includes(info.value.state) || info.value.state === 'unknown') return null;
    if (command === 'unregistervm') return stillRunning(vm, info.value.state);
    return command === 'startvm' ? alreadyRunning(vm, info.value.state) : settingsOnRunningVm(vm, info.value.state);
  }

  #locate(): Promise<Result<string, BalloonError>> {
    this.#located ??= locateVBoxManage({ vboxManagePath: this.#s.vboxManagePath, env: process.env, platform: process.platform }).then((r) => {
      if (r.isErr()) this.#located = undefined; // VirtualBox may be installed later: look again next time
      return r;
    });
    return this.#located;
  }

  // A plain run of a helper process (the ssh connection check, `ssh -O exit`), killed at its time limit or abort.
  async #raw(file: string, args: readonly string[], o: { readonly timeoutMs: number; readonly signal?: AbortSignal | undefined }): Promise<Finished> {
    const { execa } = await import('execa');
    const r = await execa(file, [...args], {
      reject: false,
      env: this.#s.env,
      extendEnv: true,
      stdin: 'ignore',
      timeout: o.timeoutMs,
      killSignal: 'SIGKILL',
      ...(o.signal === undefined ? {} : { cancelSignal: o.signal }),
      windowsHide: true,
      maxBuffer: 1024 * 1024,
    });
    return { exitCode: r.exitCode ?? null, stdout: normalize(r.stdout), stderr: normalize(r.stderr) };
  }

  async #once(args: readonly string[], vm: string | null, signal: AbortSignal | undefined, attempt: number, timeoutMs: number): Promise<Result<string, BalloonError>> {
    if (signal?.aborted === true) return err(aborted(vm, args, 'not-applied')); // nothing started
    const launched = this.#ssh === null ? (await this.#locate()).map((f): Launch => ({ file: f, args, keepStdinOpen: false })) : await this.#ssh.launch(args, timeoutMs, signal);
    if (launched.isErr()) return err(launched.error);
    const file = launched.value.file;
    const run = await runProcess(file, launched.value.args, { env: this.#s.env, keepStdinOpen: launched.value.keepStdinOpen, timeoutMs, signal, ...(launched.value.pipeGraceMs === undefined ? {} : { pipeGraceMs: launched.value.pipeGraceMs }) });
    const exitCode = run.exitCode;
    this.#s.onCommand?.({ argv: [...args], exitCode, durationMs: run.durationMs, attempt });
    if (run.stopped === 'aborted') return err(aborted(vm, args, run.spawned ? undefined : 'not-applied'));
    if (run.stopped === 'timeout') return err(timeout(vm, args, timeoutMs));
    if (run.stopped === 'overflow') {
      const detail = `it printed more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB, the most the SDK reads from one VBoxManage call, and was killed`;
      return err(vboxManageFailed(vm, args, null, '', null, false, detail, isChangeCommand(args) ? 'unknown' : 'not-applied'));
    }
    if (run.spawnError !== null) {
      // It never started.
      if (run.spawnError.code === 'ENOENT') return err(vboxManageNotFound([file], 'missing'));
      if (run.spawnError.code === 'EACCES') return err(vboxManageNotFound([file], 'not-executable'));
      return err(vboxManageFailed(vm, args, null, '', null, false, run.spawnError.message, 'not-applied'));
    }
    const stdout = normalize(run.stdout);
    const stderr = normalize(run.stderr);
    const remote = this.#ssh?.failure({ exitCode, stdout, stderr }, args, vm) ?? null;
    if (remote !== null) return err(remote);
    if (isVBoxManageFailure({ exitCode, stderr })) return err(classifyFailure({ exitCode, stdout, stderr, argv: args, vm }));
    return ok(stdout);
  }
}
