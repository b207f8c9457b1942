// The options of a placement across a fleet, checked once at the edge before any host is asked.
import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, type BalloonError } from '../errors/index.js';
import { checkRoomOptions, checkStartWithRoomOptions } from '../controller/room-options.js';
import type { CloneFrom, RoomOptions, StartWithRoomOptions } from '../controller/room-types.js';
import { integer, oneOf, optional } from '../validate/schema.js';
import { PLACEMENT_STRATEGIES, type PlacementStrategy } from './rank-hosts.js';
import type { PlaceOptions } from './place.js';

/** What a placement may be told beyond the one-host options. */
export interface PlacementOptions {
  /** How the hosts that can start the VM are ranked. Default `least-ballooning`. */
  readonly strategy?: PlacementStrategy;
  /**
   * Start a new linked clone of a template: `from` (the base VM, registered on each candidate host), `snapshot`
   * (default: the base's current snapshot) and `name` (optional: it is the VM passed to the call).
   */
  readonly clone?: CloneFrom & {
    /** The clone's name: the VM passed to the call (other names are refused). */
    readonly name?: string;
  };
}

/** Options of `BalloonFleet.planStart`: the one-host plan's options (the same on every host), and how to rank. */
export interface FleetPlanOptions extends Omit<RoomOptions, 'clone'>, PlacementOptions {
  /** How the VM would run (`startvm --type`). Default `headless`. */
  readonly type?: StartWithRoomOptions['type'];
}

/** Options of `BalloonFleet.startWithRoom`. */
export interface FleetStartOptions extends Omit<StartWithRoomOptions, 'clone'>, PlacementOptions {
  /** How many hosts to try, best first, when a start fails for a reason another host would not have. Default 2. */
  readonly maxHosts?: number;
}

const strategy = optional(oneOf(PLACEMENT_STRATEGIES));
const maxHosts = optional(integer({ min: 1, max: 1000, example: 2 }));

function split(options: unknown, vm: string): Result<{ rest: Record<string, unknown>; strategy: PlacementStrategy; maxHosts: number }, BalloonError> {
  if (options === undefined) return ok({ rest: {}, strategy: 'least-ballooning', maxHosts: 2 });
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return err(invalidArgument('options', options, 'is not an options object', "Pass e.g. { strategy: 'pack' }, or leave it out.", vm));
  }
  let parts: Record<string, unknown>;
  try {
    parts = { ...(options as Record<string, unknown>) };
  } catch {
    return err(invalidArgument('options', 'an object', 'cannot be read', "Pass a plain options object, e.g. { strategy: 'pack' }.", vm));
  }
  const { strategy: s, maxHosts: m, clone, ...rest } = parts;
  const st = strategy(s, 'options.strategy', vm);
  if (st.isErr()) return err(st.error);
  const mh = maxHosts(m, 'options.maxHosts', vm);
  if (mh.isErr()) return err(mh.error);
  if (clone !== undefined) {
    if (typeof clone !== 'object' || clone === null || Array.isArray(clone)) {
      return err(invalidArgument('options.clone', clone, 'is not an object', "Pass { from: 'ci-base', snapshot: 'base' }.", vm));
    }
    const { name, ...from } = clone as Record<string, unknown>;
    if (name !== undefined && name !== vm) return err(invalidArgument('options.clone.name', name, `is not the VM to start (${JSON.stringify(vm)})`, 'Leave clone.name out, or pass the same name as the VM.', vm));
    rest['clone'] = from;
  }
  return ok({ rest, strategy: st.value ?? 'least-ballooning', maxHosts: mh.value ?? 2 });
}

/** Check a fleet plan's options. @internal */
export function checkFleetPlanOptions(options: unknown, vm: string): Result<PlaceOptions, BalloonError> {
  return split(options, vm).andThen(({ rest, strategy: s, maxHosts: m }) => checkRoomOptions(rest, 'options', vm).map((o) => ({ ...o, strategy: s, maxHosts: m })));
}

/** Check a fleet start's options. @internal */
export function checkFleetStartOptions(options: unknown, vm: string): Result<PlaceOptions, BalloonError> {
  return split(options, vm).andThen(({ rest, strategy: s, maxHosts: m }) => checkStartWithRoomOptions(rest, 'options', vm).map((o) => ({ ...o, strategy: s, maxHosts: m })));
}
