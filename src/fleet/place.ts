// Placing a VM on a fleet: every host's one-host plan in parallel, the hosts ranked, then the start on the best host,
// falling back to the next (at most `maxHosts`) when the start fails there for a reason another host would not have.
// Placements in one process take turns until the chosen host holds the start's memory, so two never count it twice.
import { err, ok, type Result } from 'neverthrow';
import { noHost, type ApplyFailedError, type BalloonError, type HostRefusal } from '../errors/index.js';
import type { FleetHost } from './balloon-fleet.js';
import type { RoomOptions, RoomPlan, StartWithRoomOptions, StartWithRoomResult } from '../controller/room-types.js';
import { rankHosts, type FleetPlacement, type HostAnswer, type PlacementStrategy } from './rank-hosts.js';

/** Checked options of a placement. @internal */
export interface PlaceOptions extends StartWithRoomOptions {
  readonly strategy: PlacementStrategy;
  readonly maxHosts: number;
}

/** One start tried on a host. */
export interface FleetAttempt {
  /** The host. */
  readonly host: string;
  /** Whether the VM started there. */
  readonly ok: boolean;
  /** Why it did not (what was done and undone there is in it, e.g. `APPLY_FAILED`), else `null`. */
  readonly error: BalloonError | null;
}

/** What `BalloonFleet.startWithRoom` did. */
export interface FleetStartResult {
  /** The host the VM started on (dry run: would start on). */
  readonly host: string;
  /** The placement it followed (every host's line). */
  readonly placement: FleetPlacement;
  /** Every start tried, in order; the last is the one that worked. */
  readonly attempts: readonly FleetAttempt[];
  /** The one-host result on that host (its `room` is what `giveBack` needs, with this result's `host`). */
  readonly result: StartWithRoomResult;
}

// The options with only the given keys (those set).
function only<T extends object>(o: T, keys: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

const ROOM_KEYS = ['signal', 'timeoutMs', 'budgetMb', 'budgetPercent', 'overheadMb', 'keepGuestFreeMb', 'from', 'clone', 'type'] as const;
const START_KEYS = [...ROOM_KEYS, 'dryRun', 'waitTimeoutMs', 'pollMs', 'startTimeoutMs', 'cloneTimeoutMs'] as const;
const roomOnly = (o: PlaceOptions): RoomOptions & Pick<StartWithRoomOptions, 'type'> => only(o, ROOM_KEYS);

/** Every host's plan, in parallel; a host that fails is a refusal with its reason. @internal */
export async function planAll(hosts: readonly FleetHost[], vm: string, o: PlaceOptions): Promise<FleetPlacement> {
  const room = roomOnly(o);
  const answers = await Promise.all(
    hosts.map(async (h): Promise<HostAnswer> => {
      const r = await h.controller.planStart(vm, room);
      return r.isOk() ? { host: h.name, plan: r.value, error: null } : { host: h.name, plan: null, error: r.error };
    }),
  );
  return rankHosts(vm, answers, o.strategy, o.clone?.from ?? null);
}

// A failure that another host would meet too, or that left something behind: no other host is tried.
function stopsHere(e: BalloonError): boolean {
  if (e.code === 'INVALID_ARGUMENT' || e.code === 'ABORTED') return true;
  if (e.code !== 'APPLY_FAILED') return false;
  const a: ApplyFailedError = e;
  return a.cause.code === 'ABORTED' || a.changes.some((c) => c.rollback !== 'restored') || a.clone?.removed === false;
}

const firstSentence = (e: BalloonError): string => e.message.split('. ')[0] ?? e.message;

/** One turn at a time: a placement holds it until its host holds the start's memory. @internal */
export class Turns {
  #tail: Promise<void> = Promise.resolve();

  async take(): Promise<() => void> {
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const before = this.#tail;
    this.#tail = before.then(() => mine);
    await before;
    let done = false;
    return () => {
      if (!done) release();
      done = true;
    };
  }
}

/** Plan across the fleet and start on the best host, falling back as documented. @internal */
export async function place(hosts: readonly FleetHost[], turns: Turns, vm: string, o: PlaceOptions): Promise<Result<FleetStartResult, BalloonError>> {
  const release = await turns.take();
  try {
    const placement = await planAll(hosts, vm, o);
    const refusals: HostRefusal[] = placement.hosts.filter((h) => !h.fits).map((h) => ({ host: h.host, reason: h.line, error: h.error }));
    const fitting = placement.hosts.filter((h) => h.fits);
    if (fitting.length === 0) return err(noHost(vm, hosts.length, refusals));
    const attempts: FleetAttempt[] = [];
    for (const verdict of fitting.slice(0, o.maxHosts)) {
      const host = hosts.find((h) => h.name === verdict.host);
      if (host === undefined) continue;
      const onPlanned = (plan: RoomPlan): void => {
        release(); // the next placement may plan: this host now counts this start
        o.onPlanned?.(plan);
      };
      const r = await host.controller.startWithRoom(vm, { ...only(o, START_KEYS), onPlanned });
      release();
      if (r.isOk()) return ok({ host: host.name, placement, attempts: [...attempts, { host: host.name, ok: true, error: null }], result: r.value });
      attempts.push({ host: host.name, ok: false, error: r.error });
      if (stopsHere(r.error)) break;
    }
    const tried = attempts.map((a) => ({ host: a.host, reason: `failed to start it: ${a.error === null ? 'no answer' : firstSentence(a.error)}`, error: a.error }));
    const untried = fitting.slice(attempts.length).map((h) => ({ host: h.host, reason: `could start it, but was not tried (maxHosts ${o.maxHosts})`, error: null }));
    const last = attempts.at(-1)?.error;
    if (attempts.length === 1 && last !== null && last !== undefined && stopsHere(last)) return err(last);
    return err(noHost(vm, hosts.length, [...tried, ...untried, ...refusals], true));
  } finally {
    release();
  }
}
