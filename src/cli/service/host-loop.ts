// One host's autopilot as a service runs it: the SDK's loop, started again between two ticks when the settings are
// reloaded (never during a tick), told at each start what the last run kept (the state file), its ticks logged as
// decisions and errors, and its state saved whenever it changes.
import type { AutopilotClock, AutopilotOptions, TickEvent } from '../../index.js';
import type { Settings } from '../config/settings.js';
import type { Connection } from '../connect.js';
import type { CliMetrics } from '../metrics-server.js';
import { drainClock } from '../autopilot-run.js';
import { tickLine } from '../render-tick.js';
import { EMPTY_STATE, loadState, resumeOf, saveState, stateAfterTick, stateText, type KeptState } from './autopilot-state.js';
import type { LogFields, ServiceLog } from './service-log.js';

/** What one host's loop runs with. */
export interface HostLoopOptions {
  /** The host's name in log lines; `null` on one host. */
  readonly label: string | null;
  /** The host's `host` label in the metrics. */
  readonly metricsLabel: string;
  /** `local` or the ssh target's key: names the state file. */
  readonly hostKey: string;
  readonly connection: Connection;
  readonly log: ServiceLog;
  /** The private state directory; `null` when the state is not kept. */
  readonly stateDir: string | null;
  readonly metrics: CliMetrics | null;
  /** Aborted to stop after the tick in progress (SIGTERM, Ctrl-C). */
  readonly stop: AbortSignal;
}

type Vm = { readonly uuid: string | null; readonly name: string };

/** The loop of one host. */
export class HostLoop {
  readonly #o: HostLoopOptions;
  #pending: Settings | null = null;
  #state: KeptState = EMPTY_STATE;
  #savedText = '';
  #saveProblem: string | null = null;
  #ticks = 0;
  #failedInARow = 0;
  /** The VM errors of the last tick (`uuid-or-name code`): an error repeated tick after tick is logged once. */
  #errors = new Map<string, string>();

  constructor(o: HostLoopOptions) {
    this.#o = o;
  }

  #fields(event: string, extra: Omit<LogFields, 'event' | 'host'> = {}): LogFields {
    return { event, host: this.#o.label, ...extra };
  }

  /** Ticks run so far. */
  get ticks(): number {
    return this.#ticks;
  }

  /** Use `next` from the next tick on (the tick in progress, if any, ends on the old settings). */
  reload(next: Settings): void {
    this.#pending = next;
  }

  /** Run until stopped (or `--max-ticks`); resolves with the settings in force at the end. */
  async run(first: Settings): Promise<Settings> {
    this.#loadState();
    let settings = first;
    for (;;) {
      const max = settings.setup.maxTicks;
      const left = max === undefined ? undefined : max - this.#ticks;
      if (left !== undefined && left <= 0) break;
      if (!(await this.#runLoop(settings, left))) break;
      const next = this.#pending;
      if (next === null || this.#o.stop.aborted) break;
      this.#pending = null;
      settings = next;
    }
    return settings;
  }

  // Run the SDK's loop to its end; `false` when it cannot start (said in the log).
  async #runLoop(settings: Settings, maxTicks: number | undefined): Promise<boolean> {
    const { setup } = settings;
    const options: AutopilotOptions = {
      policy: setup.policy,
      dryRun: setup.dryRun,
      clock: this.#clock(),
      resume: resumeOf(this.#state),
      ...(setup.intervalMs === undefined ? {} : { intervalMs: setup.intervalMs }),
      ...(maxTicks === undefined ? {} : { maxTicks }),
      ...(setup.limits === undefined ? {} : { limits: setup.limits }),
      ...(setup.maxBackoffMs === undefined ? {} : { maxBackoffMs: setup.maxBackoffMs }),
      onTick: (e: TickEvent) => {
        this.#onTick(e, setup.dryRun);
      },
    };
    let started = this.#o.connection.controller.autopilot(options);
    // The last loop's handle is let go as its `done` settles: give that a turn before starting the next.
    if (started.isErr() && started.error.code === 'AUTOPILOT_RUNNING') {
      await new Promise((resolve) => setImmediate(resolve));
      started = this.#o.connection.controller.autopilot(options);
    }
    if (started.isErr()) {
      this.#o.log.error(started.error.message, this.#fields('error', { code: started.error.code }));
      return false;
    }
    await started.value.done;
    return true;
  }

  // The sleep ends early (false: the loop ends) on stop, and at its end when a reload waits, so that the next loop
  // starts exactly when the next tick was due.
  #clock(): AutopilotClock {
    const base = drainClock(this.#o.stop);
    return { now: () => base.now(), sleep: async (ms, signal) => (await base.sleep(ms, signal)) && this.#pending === null };
  }

  #loadState(): void {
    if (this.#o.stateDir === null) return;
    const { state, problem } = loadState(this.#o.stateDir, this.#o.hostKey);
    if (problem !== null) this.#o.log.warn(problem, this.#fields('state'));
    this.#state = state;
    this.#savedText = problem === null ? stateText(state, this.#o.hostKey) : '';
    const n = Object.keys(state.vms).length;
    if (n > 0) this.#o.log.info(`Resuming from the state of the last run: ${n} VM${n === 1 ? '' : 's'}`, this.#fields('state'));
  }

  /** Save the state if it changed since the last save. */
  saveState(): void {
    if (this.#o.stateDir === null) return;
    const text = stateText(this.#state, this.#o.hostKey);
    if (text === this.#savedText) return;
    const problem = saveState(this.#o.stateDir, this.#o.hostKey, this.#state);
    if (problem === null) {
      this.#savedText = text;
      if (this.#saveProblem !== null) this.#o.log.info('The state is saved again', this.#fields('state'));
    } else if (problem !== this.#saveProblem) this.#o.log.error(`${problem}; the autopilot goes on, and tries again after the next tick`, this.#fields('state', { code: 'STATE_DIR' }));
    this.#saveProblem = problem;
  }

  /** The kept state. */
  get state(): KeptState {
    return this.#state;
  }

  /** Replace the kept state (after a restore) and save it. */
  setState(state: KeptState): void {
    this.#state = state;
    this.saveState();
  }

  #onTick(e: TickEvent, dryRun: boolean): void {
    this.#ticks++;
    this.#o.metrics?.onTick(this.#o.metricsLabel, e);
    const log = this.#o.log;
    if (e.snapshot === null) {
      this.#failedInARow++;
      const first = e.errors[0]?.error;
      const more = this.#failedInARow === 1 ? '; trying again, less often while it fails' : ` (${this.#failedInARow} failed ticks in a row)`;
      log.error(`tick ${this.#ticks} failed: ${first?.message ?? 'unknown failure'}${more}`, this.#fields('tick-failed', { code: first?.code ?? null }));
      return;
    }
    if (this.#failedInARow > 0) log.info(`VirtualBox answers again after ${this.#failedInARow} failed tick${this.#failedInARow === 1 ? '' : 's'}`, this.#fields('recovered'));
    this.#failedInARow = 0;
    const vms = e.snapshot.vms;
    const vmAt = (i: number, name: string): Vm => ({ uuid: vms[i]?.uuid ?? null, name });
    for (const [i, entry] of (e.plan?.entries ?? []).entries()) {
      if (e.applied.includes(entry)) log.info(`${entry.vm}: balloon ${entry.fromMb} -> ${entry.toMb} MB (${entry.reason})`, this.#fields('change', { vm: vmAt(i, entry.vm) }));
      else if (e.maybeApplied.includes(entry)) log.warn(`${entry.vm}: balloon ${entry.fromMb} -> ${entry.toMb} MB may have been made (the answer was lost)`, this.#fields('change', { vm: vmAt(i, entry.vm) }));
      else if (dryRun && entry.deltaMb !== 0) log.info(`${entry.vm}: would move the balloon ${entry.fromMb} -> ${entry.toMb} MB (dry run; ${entry.reason})`, this.#fields('plan', { vm: vmAt(i, entry.vm) }));
    }
    this.#logVmErrors(e);
    log.debug(`tick ${this.#ticks}: ${tickLine(e).replace(/^\S+ tick \d+: /u, '')}`, this.#fields('tick'));
    this.#state = stateAfterTick(this.#state, e);
    this.saveState();
  }

  // A VM's error is logged when it starts or changes; repeated, at debug level; when it clears, once more.
  #logVmErrors(e: TickEvent): void {
    const now = new Map<string, string>();
    for (const f of e.errors) {
      const uuid = e.snapshot?.vms.find((v) => v.name === f.vm)?.uuid ?? null;
      const key = uuid ?? f.vm ?? '';
      now.set(key, f.error.code);
      const fields = this.#fields('error', { code: f.error.code, vm: f.vm === null ? null : { uuid, name: f.vm } });
      if (this.#errors.get(key) === f.error.code) this.#o.log.debug(f.error.message, fields);
      else this.#o.log.line(f.error.code === 'LARGE_PAGES_ENABLED' ? 'warning' : 'error', f.error.message, fields);
    }
    for (const [key] of this.#errors) {
      if (now.has(key)) continue;
      const vm = e.snapshot?.vms.find((v) => v.uuid === key);
      if (vm !== undefined) this.#o.log.info(`${vm.name}: no longer failing`, this.#fields('recovered', { vm: { uuid: vm.uuid, name: vm.name } }));
    }
    this.#errors = now;
  }
}
