// The real adapter: the only file that runs VBoxManage (through execa, loaded on first use).
import { existsSync } from 'node:fs';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import {
  aborted,
  isChangeCommand,
  parseError,
  timeout,
  vboxManageFailed,
  vboxManageNotFound,
  vmNotFound,
  type BalloonError,
} from '../errors.js';
import type { HostInfo } from '../domain/host.js';
import type { VmInfo, VmSummary } from '../domain/vm-info.js';
import { isUuid, validateVmRef } from '../domain/vm-ref.js';
import { argv as commands } from './argv.js';
import { MUTABLE_STATES, STARTABLE_STATES } from '../domain/vm-state.js';
import { classifyFailure, isVBoxManageFailure, settingsOnRunningVm } from './classify-failure.js';
import type { CallOptions, GuestMemory, HostMemory, ModifyVmSettings, StartVmOptions, VBoxManageClient } from './client.js';
import { alreadyRunning, checkStartVmOptions, startedOutput } from './start-vm.js';
import { checkSettings, checkSize } from './check-input.js';
import { checkClientCallOptions } from '../validate/call-options.js';
import { arrayOf } from '../validate/schema.js';
import { guestMemoryFromRows, hasGuestRows, hasGuestValues, readableFromTable } from './guest-memory.js';
import { KeyedQueue, Semaphore, sleep } from './limiter.js';
import { locateVBoxManage } from './locate-vboxmanage.js';
import { MAX_OUTPUT_BYTES, runProcess } from './run-process.js';
import { checkClientOptions, type CheckedClientOptions } from './client-options.js';
import { SshLauncher, type Finished, type Launch } from './ssh/ssh-launcher.js';
import { checkSshOptions, type SshOptions } from './ssh/ssh-target.js';
import { parseHostInfo } from './parse/hostinfo.js';
import { parseMetricsQuery } from './parse/metrics.js';
import { parseShowVmInfo } from './parse/showvminfo.js';
import { parseVersion, type VBoxVersion } from './parse/version.js';
import { parseVmList } from './parse/vm-list.js';
import type { CommandEvent } from '../events/command-event.js';

/** How transient failures (VM lock held, lock request pending, object not ready) are retried. */
export interface RetryOptions {
  /** Tries in all, the first included. Default 3; 1 turns retries off. */
  readonly attempts: number;
  /** Wait before the second try, in ms; it doubles for each further try. Default 1000. */
  readonly delayMs: number;
}

/** Options of {@link ExecaVBoxManageClient}. */
export interface ExecaVBoxManageClientOptions {
  /** The VBoxManage executable. Default: `VBOXMANAGE_PATH`, then `PATH`, then the standard install places. */
  readonly vboxManagePath?: string;
  /** Kill a VBoxManage call (and its children) after this many ms and return `TIMEOUT`. Default 60 000. */
  readonly timeoutMs?: number;
  /** Retries of transient failures. Default `{ attempts: 3, delayMs: 1000 }`. */
  readonly retry?: Partial<RetryOptions>;
  /** At most this many VBoxManage processes at once. Default 4. */
  readonly maxConcurrency?: number;
  /** Extra environment variables for VBoxManage (the locale is fixed to `C.UTF-8`, or `C` where that is missing). */
  readonly env?: Readonly<Record<string, string>>;
  /** Called after every VBoxManage invocation, retries included. */
  readonly onCommand?: (event: CommandEvent) => void;
  /**
   * For how long after `metrics setup` an empty metrics answer means "no sample yet" rather than "the VM restarted
   * and lost its metrics" (which makes the next call set them up again). Default 3000 ms; VirtualBox samples every second.
   */
  readonly metricsSettleMs?: number;
  /**
   * Run VBoxManage on another host through the system's `ssh` client (OpenSSH), with no agent of ours there. See
   * docs/remote.md. Call {@link ExecaVBoxManageClient.close} when done, to end the shared connection.
   */
  readonly ssh?: SshOptions;
}

// VBoxManage 7 translates messages and labels: always run it in an English UTF-8 locale (Vagrant's lesson:
// plain `C` broke some VBoxManage 7 builds, so `C.UTF-8` where the host has it, else `C`).
function fixedLocale(): Record<string, string> {
  const hasCUtf8 = process.platform !== 'linux' || ['/usr/lib/locale/C.utf8', '/usr/lib/locale/C.UTF-8'].some((d) => existsSync(d));
  const locale = hasCUtf8 ? 'C.UTF-8' : 'C';
  return { LC_ALL: locale, LANG: locale, LANGUAGE: 'en' };
}

const normalize = (s: unknown): string => (typeof s === 'string' ? s.replace(/\r\n/gu, '\n') : '');

// controlvm and modifyvm print nothing on stdout when they succeed: anything else means the answer cannot be trusted.
function silentSuccess(stdout: string, args: readonly string[], vm: string): Result<void, BalloonError> {
  if (stdout.trim() === '') return ok(undefined);
  const excerpt = JSON.stringify(stdout.slice(0, 80));
  return err(vboxManageFailed(vm, args, 0, '', null, false, `it exited 0 but printed ${excerpt}, which VBoxManage does not print on success`, 'unknown'));
}

type Exec = (argv: readonly string[], vm: string | null, options: CallOptions & { mutation?: boolean }) => Promise<Result<string, BalloonError>>;


/**
 * The real {@link VBoxManageClient}: runs VBoxManage with argv arrays (never a shell), under a fixed locale, with a
 * timeout, retries of transient lock errors, at most `maxConcurrency` processes, and one mutation at a time per VM.
 */
export class ExecaVBoxManageClient implements VBoxManageClient {
  readonly #timeoutMs: number;
  readonly #retry: RetryOptions;
  readonly #env: Record<string, string>;
  readonly #onCommand: ((event: CommandEvent) => void) | undefined;
  readonly #vboxManagePath: string | undefined;
  readonly #processes: Semaphore;
  readonly #perVm = new KeyedQueue();
  readonly #metricsSetUp = new Map<string, number>();
  readonly #names = new Map<string, string>();
  readonly #metricsSettleMs: number;
  #located: Promise<Result<string, BalloonError>> | undefined;
  readonly #ssh: SshLauncher | null;
  readonly #invalid: BalloonError | null;

  /** Create a client; nothing runs until the first call. */
  constructor(options: ExecaVBoxManageClientOptions = {}) {
    // A constructor cannot return a Result: bad options are kept, and every call returns them (running nothing).
    const checked = checkClientOptions(options);
    const o: CheckedClientOptions = checked.isOk() ? checked.value : {};
    this.#timeoutMs = o.timeoutMs ?? 60_000;
    this.#retry = { attempts: o.retry?.attempts ?? 3, delayMs: o.retry?.delayMs ?? 1000 };
    this.#env = { ...fixedLocale(), ...o.env };
    this.#onCommand = o.onCommand as ((event: CommandEvent) => void) | undefined;
    this.#vboxManagePath = o.vboxManagePath;
    this.#processes = new Semaphore(o.maxConcurrency ?? 4);
    this.#metricsSettleMs = o.metricsSettleMs ?? 3000;
    const ssh = o.ssh === undefined ? ok(null) : checkSshOptions(o.ssh);
    this.#invalid = checked.isErr() ? checked.error : ssh.isErr() ? ssh.error : null;
    this.#ssh = this.#invalid === null && ssh.isOk() && ssh.value !== null ? new SshLauncher(ssh.value, (file, args, opts) => this.#raw(file, args, opts)) : null;
  }

  /**
   * Create a client, or the `INVALID_ARGUMENT` error its options give. `new ExecaVBoxManageClient(options)` with bad
   * options never throws either: every call of that client returns the same error and runs nothing.
   */
  static create(options: ExecaVBoxManageClientOptions = {}): Result<ExecaVBoxManageClient, BalloonError> {
    const client = new ExecaVBoxManageClient(options);
    return client.#invalid === null ? ok(client) : err(client.#invalid);
  }

  /** The remote host, for a client over ssh; `null` for the VBoxManage on this machine. */
  get host(): string | null {
    return this.#ssh?.host ?? null;
  }

  /** End the shared ssh connection (if any) and remove its private directory. Safe to call more than once. */
  close(): ResultAsync<void, BalloonError> {
    return new ResultAsync((async () => ok(await this.#ssh?.close()))().catch(() => ok(undefined)));
  }

  /** `VBoxManage --version`. */
  version(options: CallOptions = {}): ResultAsync<VBoxVersion, BalloonError> {
    return this.#run(commands.version(), null, options, parseVersion);
  }

  /** `VBoxManage list hostinfo`. */
  hostInfo(options: CallOptions = {}): ResultAsync<HostInfo, BalloonError> {
    return this.#run(commands.hostInfo(), null, options, parseHostInfo);
  }

  /** `VBoxManage list vms`. */
  listVms(options: CallOptions = {}): ResultAsync<VmSummary[], BalloonError> {
    return this.#run(commands.listVms(), null, options, parseVmList).map((vms) => this.#learn(vms, true));
  }

  /** `VBoxManage list runningvms`. */
  listRunningVms(options: CallOptions = {}): ResultAsync<VmSummary[], BalloonError> {
    return this.#run(commands.listRunningVms(), null, options, parseVmList).map((vms) => this.#learn(vms, false));
  }

  /** `VBoxManage showvminfo <vm> --machinereadable`. */
  showVmInfo(vm: string, options: CallOptions = {}): ResultAsync<VmInfo, BalloonError> {
    return this.#withVm(vm, (ref) =>
      this.#run(commands.showVmInfo(ref), ref, options, (out) =>
        parseShowVmInfo(out)
          .map((info) => {
            this.#learn([{ name: info.name, uuid: info.uuid }], false);
            return info;
          })
          .mapErr((e) => parseError(e.source, out, e.reason, ref)),
      ),
    );
  }

  // The names of VMs by UUID, from this client's own list and showvminfo answers: guestMemory for UUIDs needs no
  // extra call in the steady state. A full list replaces what was known; the others add to it.
  #learn(vms: VmSummary[], complete: boolean): VmSummary[] {
    if (complete) this.#names.clear();
    for (const v of vms) this.#names.set(v.uuid, v.name);
    return vms;
  }

  /** `VBoxManage controlvm <vm> guestmemoryballoon <sizeMb>`. */
  setLiveBalloon(vm: string, sizeMb: number, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.#withVm(vm, (ref) =>
      checkSize(sizeMb, ref).asyncAndThen((n) => {
        const args = commands.setLiveBalloon(ref, n);
        return this.#run(args, ref, { ...options, mutation: true }, (out) => silentSuccess(out, args, ref));
      }),
    );
  }

  /** `VBoxManage modifyvm <vm> --guestmemoryballoon <sizeMb>`. */
  setDefaultBalloon(vm: string, sizeMb: number, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.modifyVm(vm, { defaultBalloonMb: sizeMb }, options);
  }

  /** `VBoxManage modifyvm <vm> --largepages on|off`. */
  setLargePages(vm: string, enabled: boolean, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.modifyVm(vm, { largePages: enabled }, options);
  }

  /** One `VBoxManage modifyvm` call with every given setting: all apply or none. */
  modifyVm(vm: string, settings: ModifyVmSettings, options: CallOptions = {}): ResultAsync<void, BalloonError> {
    return this.#withVm(vm, (ref) =>
      checkSettings(settings, ref).asyncAndThen((s) => {
        const args = commands.modifyVm(ref, s);
        return this.#run(args, ref, { ...options, mutation: true }, (out) => silentSuccess(out, args, ref));
      }),
    );
  }

  /** `VBoxManage startvm <vm> --type <type>`: ok once VirtualBox says the VM "has been successfully started". */
  startVm(vm: string, options: StartVmOptions = {}): ResultAsync<void, BalloonError> {
    return this.#withVm(vm, (ref) =>
      checkStartVmOptions(options, ref).asyncAndThen((o) => {
        const args = commands.startVm(ref, o.type);
        return this.#run(args, ref, { ...o, mutation: true }, (out) => startedOutput(out, args, ref));
      }),
    );
  }

  /** Guest memory of several VMs: `metrics setup` where needed, then one `metrics query` for all. */
  guestMemory(vms: readonly string[], options: CallOptions = {}): ResultAsync<GuestMemory[], BalloonError> {
    return new ResultAsync(this.#guestMemory(vms, options));
  }

  /** Host memory from `VBoxManage list hostinfo`. */
  hostMemory(options: CallOptions = {}): ResultAsync<HostMemory, BalloonError> {
    return this.hostInfo(options).map((h) => ({ totalMb: h.memoryMb, freeMb: h.memoryAvailableMb, usedMb: Math.max(0, h.memoryMb - h.memoryAvailableMb) }));
  }

  async #guestMemory(vms: readonly string[], options: CallOptions): Promise<Result<GuestMemory[], BalloonError>> {
    const refs = arrayOf(validateVmRef, { example: "['web-1']" })(vms, 'vms');
    if (refs.isErr()) return err(refs.error);
    const opts = checkClientCallOptions(options);
    if (opts.isErr()) return err(opts.error);
    if (vms.length === 0) return ok([]);
    const exec = this.#exec;
    const uuidOf = (vm: string): string | undefined => {
      if (isUuid(vm)) {
        const u = vm.replace(/[{}]/gu, '').toLowerCase();
        return this.#names.has(u) ? u : undefined;
      }
      for (const [u, n] of this.#names) if (n === vm) return u;
      return undefined;
    };
    // Resolve once: every VM to its UUID and name, from what this client already knows, else from one `list vms`.
    const resolveAll = async (): Promise<Result<{ vm: string; uuid: string; name: string }[], BalloonError>> => {
      if (vms.some((vm) => uuidOf(vm) === undefined)) {
        const list = await exec(commands.listVms(), null, options);
        if (list.isErr()) return err(list.error);
        const all = parseVmList(list.value);
        if (all.isErr()) return err(all.error);
        this.#learn(all.value, true);
      }
      const out: { vm: string; uuid: string; name: string }[] = [];
      for (const vm of vms) {
        const uuid = uuidOf(vm);
        if (uuid === undefined) return err(vmNotFound(vm));
        out.push({ vm, uuid, name: this.#names.get(uuid) ?? vm });
      }
      return ok(out);
    };
    let resolved = await resolveAll();
    if (resolved.isErr()) return err(resolved.error);
    if (resolved.value.some((r) => !this.#metricsSetUp.has(r.uuid))) {
      const setup = await exec(commands.metricsSetup(), null, options);
      if (setup.isErr()) return err(setup.error);
      const now = Date.now();
      for (const r of resolved.value) this.#metricsSetUp.set(r.uuid, now);
    }
    const query = await exec(commands.metricsQuery(), null, options);
    if (query.isErr()) return err(query.error);
    const rows = parseMetricsQuery(query.value);
    if (rows.isErr()) return err(rows.error);
    // A VM with no rows may be off, or renamed since this client learnt its name: look again once.
    if (resolved.value.some((r) => readableFromTable(r.name, r.uuid, this.#names) && !hasGuestRows(rows.value, r.name))) {
      const list = await exec(commands.listVms(), null, options);
      if (list.isErr()) return err(list.error);
      const all = parseVmList(list.value);
      if (all.isErr()) return err(all.error);
      this.#learn(all.value, true);
      resolved = await resolveAll();
      if (resolved.isErr()) return err(resolved.error);
    }
    const out: GuestMemory[] = [];
    const now = Date.now();
    for (const r of resolved.value) {
      let own = rows.value;
      if (!readableFromTable(r.name, r.uuid, this.#names)) {
        // Asked alone by UUID: only its own rows come back, so no other VM's name can pass for it.
        const alone = await exec(commands.metricsQueryOne(r.uuid), null, options);
        if (alone.isErr()) return err(alone.error);
        const parsed = parseMetricsQuery(alone.value);
        if (parsed.isErr()) return err(parsed.error);
        own = parsed.value;
      }
      // No rows: not running. Rows without values long after setup: the VM (or VBoxSVC) restarted. Set up again next time.
      const setUpAt = this.#metricsSetUp.get(r.uuid) ?? 0;
      if (!hasGuestRows(own, r.name) || (!hasGuestValues(own, r.name) && now - setUpAt >= this.#metricsSettleMs)) this.#metricsSetUp.delete(r.uuid);
      out.push(guestMemoryFromRows(r.vm, r.name, own));
    }
    return ok(out);
  }

  #withVm<T>(vm: string, body: (ref: string) => ResultAsync<T, BalloonError>): ResultAsync<T, BalloonError> {
    return validateVmRef(vm).asyncAndThen(body);
  }

  #run<T>(
    args: readonly string[],
    vm: string | null,
    options: CallOptions & { mutation?: boolean },
    parse: (stdout: string) => Result<T, BalloonError>,
  ): ResultAsync<T, BalloonError> {
    const opts = checkClientCallOptions(options);
    if (opts.isErr()) return new ResultAsync(Promise.resolve(err(opts.error)));
    return new ResultAsync(this.#exec(args, vm, options)).andThen(parse);
  }

  // Arrow property so that it can be passed around without losing `this`.
  readonly #exec: Exec = (args, vm, options) => {
    const attempt = (): Promise<Result<string, BalloonError>> => this.#withRetries(args, vm, options.signal, options.timeoutMs ?? this.#timeoutMs);
    // Two changes to one VM never overlap: VirtualBox would answer the second with a lock error.
    // A call given up while it waits (for the VM's queue or a process slot) ran nothing.
    const gaveUp = (): Result<string, BalloonError> => err(aborted(vm, args, 'not-applied'));
    return options.mutation === true && vm !== null ? this.#perVm.run(vm, attempt, options.signal, gaveUp) : attempt();
  };

  async #withRetries(args: readonly string[], vm: string | null, signal: AbortSignal | undefined, timeoutMs: number): Promise<Result<string, BalloonError>> {
    if (this.#invalid !== null) return err(this.#invalid);
    for (let attempt = 1; ; attempt++) {
      const result = await this.#processes.run(() => this.#once(args, vm, signal, attempt, timeoutMs), signal, () => err(aborted(vm, args, 'not-applied')));
      if (result.isOk()) return result;
      const e = result.error;
      // A change whose outcome is unknown (a dropped ssh connection) is never run again.
      const transient = (e.code === 'VM_LOCKED' || e.code === 'VBOXMANAGE_FAILED' || (e.code === 'SSH_FAILED' && e.outcome === 'not-applied')) && e.transient;
      // modifyvm and startvm meet "already locked" both when a running VM's own session holds the lock (for as long as it runs)
      // and when another session holds it briefly: one showvminfo tells them apart before any retry.
      if (e.code === 'VM_LOCKED' && (args[0] === 'modifyvm' || args[0] === 'startvm') && vm !== null && attempt === 1) {
        const held = await this.#heldByRunningVm(vm, args[0], signal, timeoutMs);
        if (held !== null) return err(held);
      }
      if (!transient || attempt >= this.#retry.attempts) return result;
      if (!(await sleep(this.#retry.delayMs * 2 ** (attempt - 1), signal))) return err(aborted(vm, args, 'not-applied')); // the last try was refused
    }
  }

  // The INVALID_VM_STATE for a settings change on a VM whose own session holds the lock (it runs), else null.
  async #heldByRunningVm(vm: string, command: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<BalloonError | null> {
    const args = commands.showVmInfo(vm);
    const out = await this.#processes.run(() => this.#once(args, vm, signal, 1, timeoutMs), signal, () => err(aborted(vm, args, 'not-applied')));
    if (out.isErr()) return null;
    const info = parseShowVmInfo(out.value);
    const free = command === 'startvm' ? STARTABLE_STATES : MUTABLE_STATES;
    if (info.isErr() || free.includes(info.value.state) || info.value.state === 'unknown') return null;
    return command === 'startvm' ? alreadyRunning(vm, info.value.state) : settingsOnRunningVm(vm, info.value.state);
  }

  #locate(): Promise<Result<string, BalloonError>> {
    this.#located ??= locateVBoxManage({ vboxManagePath: this.#vboxManagePath, env: process.env, platform: process.platform }).then((r) => {
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
      env: this.#env,
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
    const run = await runProcess(file, launched.value.args, { env: this.#env, keepStdinOpen: launched.value.keepStdinOpen, timeoutMs, signal, ...(launched.value.pipeGraceMs === undefined ? {} : { pipeGraceMs: launched.value.pipeGraceMs }) });
    const exitCode = run.exitCode;
    this.#onCommand?.({ argv: [...args], exitCode, durationMs: run.durationMs, attempt });
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
    const result = run;
    const stdout = normalize(result.stdout);
    const stderr = normalize(result.stderr);
    const remote = this.#ssh?.failure({ exitCode, stdout, stderr }, args, vm) ?? null;
    if (remote !== null) return err(remote);
    if (isVBoxManageFailure({ exitCode, stderr })) return err(classifyFailure({ exitCode, stdout, stderr, argv: args, vm }));
    return ok(stdout);
  }
}
