// Several hosts, each its own controller and its own memory budget: inspected in parallel, one host down reported
// for that host while the others go on, and one autopilot per host with one stream of tick events tagged by host.
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { invalidArgument, type BalloonError } from '../errors/index.js';
import { BalloonController } from '../controller/balloon-controller.js';
import type { TickEvent } from '../events/index.js';
import type { BalloonStatus } from '../controller/types.js';
import type { AutopilotHandle, AutopilotOptions } from '../autopilot/types.js';
import type { CallOptions } from '../port/client.js';
import { checkCallOptions } from '../validate/call-options.js';
import { validateVmRef } from '../domain/vm-ref.js';
import type { GiveBackOptions, GiveBackResult, RoomRecord } from '../controller/room-types.js';
import { planAll, place, Turns, type FleetStartResult } from './place.js';
import { checkFleetPlanOptions, checkFleetStartOptions, type FleetPlanOptions, type FleetStartOptions } from './place-options.js';
import type { FleetPlacement } from './rank-hosts.js';

/** One host of a fleet. */
export interface FleetHost {
  /** The host's name in results and events (unique in the fleet). */
  readonly name: string;
  /** The controller for that host. */
  readonly controller: BalloonController;
}

/** What `BalloonFleet.giveBack` did, on the host it names. */
export interface FleetGiveBackResult extends GiveBackResult {
  /** The host the memory was given back on. */
  readonly host: string;
}

/** A VM's status, with the host it is on. */
export interface FleetVmStatus extends BalloonStatus {
  /** The host's name in the fleet. */
  readonly host: string;
}

/** A host that answered. */
export interface FleetHostAnswer {
  /** The host's name in the fleet. */
  readonly host: string;
  /** Discriminant: the host answered. */
  readonly ok: true;
  /** Its VMs. */
  readonly vms: readonly BalloonStatus[];
}

/** A host that failed (down, refused, unreachable…); the other hosts' answers stand. */
export interface FleetHostFailure {
  /** The host's name in the fleet. */
  readonly host: string;
  /** Discriminant: the host failed. */
  readonly ok: false;
  /** Why. */
  readonly error: BalloonError;
}

/** How one host answered. */
export type FleetHostResult = FleetHostAnswer | FleetHostFailure;

/** `inspectAll` across the fleet: every host's answer, and every VM that could be read, tagged by host. */
export interface FleetInspection {
  /** One entry per host, in fleet order. */
  readonly hosts: readonly FleetHostResult[];
  /** Every VM of every host that answered. */
  readonly vms: readonly FleetVmStatus[];
}

/** A tick of one host's autopilot. */
export interface FleetTickEvent extends TickEvent {
  /** The host's name in the fleet. */
  readonly host: string;
}

/** Options of the fleet's autopilot: the same for every host, plus per-host overrides (each host has its own budget). */
export interface FleetAutopilotOptions extends Omit<AutopilotOptions, 'onTick'> {
  /** Options that differ per host, by host name (for example `{ 'lab-2': { policy: { kind: 'budget', budgetMb: 60_000 } } }`). */
  readonly perHost?: Readonly<Record<string, Partial<Omit<AutopilotOptions, 'onTick'>>>>;
  /** Called after every tick of every host. */
  readonly onTick?: (event: FleetTickEvent) => void;
}

/** The fleet's running autopilots. */
export interface FleetAutopilotHandle {
  /** Stop every host's autopilot after its current tick. */
  stop(): void;
  /** Resolves when every host's loop has ended, with the ticks run per host. */
  readonly done: Promise<Readonly<Record<string, number>>>;
}

const looksLikeController = (c: unknown): c is BalloonController =>
  typeof c === 'object' && c !== null && typeof (c as { inspectAll?: unknown }).inspectAll === 'function' && typeof (c as { autopilot?: unknown }).autopilot === 'function';

/**
 * A fleet of VirtualBox hosts. Each host keeps its own controller (and so its own budget, defaults and autopilot);
 * the fleet runs calls on all of them in parallel and says which host each answer comes from.
 */
export class BalloonFleet {
  readonly #hosts: readonly FleetHost[];
  readonly #invalid: BalloonError | null;
  readonly #turns = new Turns();

  /** A fleet of the given hosts. Bad hosts (none, a name twice, not a controller) make every call `INVALID_ARGUMENT`. */
  constructor(hosts: readonly FleetHost[]) {
    const checked = checkHosts(hosts);
    this.#invalid = checked.isErr() ? checked.error : null;
    this.#hosts = checked.isOk() ? checked.value : [];
  }

  /** The hosts, in order. */
  get hosts(): readonly FleetHost[] {
    return this.#hosts;
  }

  /** Every host's VMs, read in parallel; a host that fails is reported for that host, and the others proceed. */
  inspectAll(options?: CallOptions): ResultAsync<FleetInspection, BalloonError> {
    if (this.#invalid !== null) return new ResultAsync(Promise.resolve(err(this.#invalid)));
    const o = checkCallOptions(options, 'options');
    if (o.isErr()) return new ResultAsync(Promise.resolve(err(o.error)));
    return new ResultAsync(
      (async () => {
        const answers = await Promise.all(this.#hosts.map(async (h) => ({ h, r: await h.controller.inspectAll(o.value) })));
        const hosts = answers.map(({ h, r }): FleetHostResult => (r.isOk() ? { host: h.name, ok: true, vms: r.value } : { host: h.name, ok: false, error: r.error }));
        const vms = answers.flatMap(({ h, r }) => (r.isOk() ? r.value.map((v) => ({ ...v, host: h.name })) : []));
        return ok({ hosts, vms });
      })(),
    );
  }

  /**
   * Which hosts can start `vm` (or, with `clone`, a new clone of a template), without changing anything: the one-host
   * plan (`BalloonController.planStart`) on every host in parallel, the hosts that can start it ranked by `strategy`,
   * and every host explained in one line (a host that is down, lacks the VM or its base, or lacks memory even with
   * ballooning included). See docs/make-room.md.
   */
  planStart(vm: string, options?: FleetPlanOptions): ResultAsync<FleetPlacement, BalloonError> {
    return this.#run(vm, (ref) => checkFleetPlanOptions(options, ref), async (ref, o) => ok(await planAll(this.#hosts, ref, o)));
  }

  /**
   * Start `vm` on the best host of the plan (`startWithRoom` there, with `clone` making the clone first). When the
   * start fails there for a reason another host would not have (the guests filled up, startvm ran out of memory, the
   * host went away), that host is rolled back and the next is tried, at most `maxHosts` (default 2); the result lists
   * every attempt. `NO_HOST` lists every host's reason when none can start it (or every host tried failed); bad input
   * and an abort stop at once. Placements in one process take turns until the chosen host holds the start's memory.
   */
  startWithRoom(vm: string, options?: FleetStartOptions): ResultAsync<FleetStartResult, BalloonError> {
    return this.#run(vm, (ref) => checkFleetStartOptions(options, ref), (ref, o) => place(this.#hosts, this.#turns, ref, o));
  }

  /**
   * Give back what a fleet start took, on the host it started on (the result says which). With `delete`, a clone made
   * by the start is removed too, once it is off.
   */
  giveBack(target: FleetStartResult | { readonly host: string; readonly room: RoomRecord }, options?: GiveBackOptions): ResultAsync<FleetGiveBackResult, BalloonError> {
    if (this.#invalid !== null) return new ResultAsync(Promise.resolve(err(this.#invalid)));
    const given: unknown = target;
    const t = (typeof given === 'object' && given !== null ? given : {}) as { host?: unknown; room?: unknown; result?: { room?: unknown } };
    const host = this.#hosts.find((h) => h.name === t.host);
    if (host === undefined) {
      return new ResultAsync(Promise.resolve(err(invalidArgument('target.host', t.host, 'is not a host of this fleet', `Pass the result startWithRoom returned; hosts: ${this.#hosts.map((h) => h.name).join(', ')}.`))));
    }
    const room = (t.result?.room ?? t.room) as RoomRecord;
    return host.controller.giveBack(room, options).map((r) => ({ ...r, host: host.name }));
  }

  #run<O, T>(vm: string, check: (ref: string) => Result<O, BalloonError>, body: (ref: string, o: O) => Promise<Result<T, BalloonError>>): ResultAsync<T, BalloonError> {
    if (this.#invalid !== null) return new ResultAsync(Promise.resolve(err(this.#invalid)));
    const checked = validateVmRef(vm, 'vm').andThen((ref) => check(ref).map((o) => ({ ref, o })));
    if (checked.isErr()) return new ResultAsync(Promise.resolve(err(checked.error)));
    return new ResultAsync(body(checked.value.ref, checked.value.o));
  }

  /** Close every host's controller (ends shared ssh connections). */
  close(): ResultAsync<void, BalloonError> {
    return new ResultAsync(
      (async () => {
        await Promise.all(this.#hosts.map((h) => h.controller.close()));
        return ok(undefined);
      })(),
    );
  }

  /** One autopilot per host, each against its own host's memory, with one stream of tick events tagged by host. */
  autopilot(options: FleetAutopilotOptions): Result<FleetAutopilotHandle, BalloonError> {
    if (this.#invalid !== null) return err(this.#invalid);
    if (typeof options !== 'object' || (options as unknown) === null) return err(invalidArgument('options', options, 'is not an options object', "Pass at least a policy, e.g. { policy: { kind: 'budget', budgetPercent: 80 } }."));
    const { perHost, onTick, ...common } = options;
    if (perHost !== undefined) {
      for (const name of Object.keys(perHost)) {
        if (!this.#hosts.some((h) => h.name === name)) return err(invalidArgument(`options.perHost[${JSON.stringify(name)}]`, name, 'is not a host of this fleet', `Hosts: ${this.#hosts.map((h) => h.name).join(', ')}.`));
      }
    }
    if (onTick !== undefined && typeof onTick !== 'function') return err(invalidArgument('options.onTick', onTick, 'is not a function', 'Pass a function, or leave it out.'));
    const started: { name: string; handle: AutopilotHandle }[] = [];
    for (const h of this.#hosts) {
      const own = { ...common, ...perHost?.[h.name], ...(onTick === undefined ? {} : { onTick: (e: TickEvent) => { onTick({ ...e, host: h.name }); } }) };
      const r = h.controller.autopilot(own);
      if (r.isErr()) {
        for (const s of started) s.handle.stop();
        return err(r.error);
      }
      started.push({ name: h.name, handle: r.value });
    }
    return ok({
      stop: () => {
        for (const s of started) s.handle.stop();
      },
      done: Promise.all(started.map(async (s) => [s.name, await s.handle.done] as const)).then((pairs) => Object.fromEntries(pairs)),
    });
  }
}

function checkHosts(hosts: unknown): Result<FleetHost[], BalloonError> {
  const fix = "Pass [{ name: 'lab-1', controller: remoteController('ssh://vbox@lab-1') }, …].";
  if (!Array.isArray(hosts) || hosts.length === 0) return err(invalidArgument('hosts', hosts, 'is not a non-empty array of hosts', fix));
  const seen = new Set<string>();
  const out: FleetHost[] = [];
  for (const [i, h] of (hosts as unknown[]).entries()) {
    const r = (typeof h === 'object' && h !== null ? h : {}) as { name?: unknown; controller?: unknown };
    if (typeof r.name !== 'string' || r.name === '') return err(invalidArgument(`hosts[${i}].name`, r.name, 'is not a name', fix));
    if (seen.has(r.name)) return err(invalidArgument(`hosts[${i}].name`, r.name, 'is in the fleet twice', 'Give every host its own name.'));
    if (!looksLikeController(r.controller)) return err(invalidArgument(`hosts[${i}].controller`, 'a value', 'is not a BalloonController', fix));
    seen.add(r.name);
    out.push({ name: r.name, controller: r.controller });
  }
  return ok(out);
}
