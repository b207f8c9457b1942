// Starting a new linked clone of a template (a CI runner): the base and its snapshot are resolved once, the name is
// checked to be free, and only once the plan fits is the clone made and read back (by UUID from then on). A start
// that fails afterwards removes the clone again, or says that it is left and why.
import { err, ok } from 'neverthrow';
import { applyFailed, outcomeOf, snapshotNotFound, vmExists, type CloneUndone } from '../errors/index.js';
import type { VmInfo } from '../domain/vm-info.js';
import { argv as commands } from '../port/argv.js';
import type { CallOptions } from '../port/client.js';
import type { Async, ControllerCore } from './controller-core.js';
import type { CloneFrom, CloneMade, StartWithRoomOptions } from './room-types.js';

/** The base of a clone, the snapshot it is made from, and the clone as planned (the base's RAM, powered off). @internal */
export interface CloneTarget {
  readonly base: VmInfo;
  readonly snapshot: { readonly name: string; readonly uuid: string };
  /** The clone to be: the base's settings, its name, powered off; its `uuid` is its name until it is made. */
  readonly target: VmInfo;
}

/** Resolve the base and its snapshot, and check that no VM has the clone's name. Reads only. @internal */
export async function cloneTarget(core: ControllerCore, name: string, spec: CloneFrom, o: CallOptions): Async<CloneTarget> {
  const base = await core.show(spec.from, o);
  if (base.isErr()) return err(base.error);
  const b = base.value;
  const names = b.snapshots.map((s) => s.name);
  const key = spec.snapshot?.replace(/[{}]/gu, '').toLowerCase();
  const snapshot = spec.snapshot === undefined ? b.currentSnapshot : (b.snapshots.find((s) => s.name === spec.snapshot || s.uuid === key) ?? null);
  if (snapshot === null) return err(snapshotNotFound(b.name, spec.snapshot ?? null, names));
  const taken = await core.show(name, o);
  if (taken.isOk()) return err(vmExists(name, null, b.name));
  if (taken.error.code !== 'VM_NOT_FOUND') return err(taken.error);
  const target: VmInfo = {
    ...b,
    name,
    uuid: name,
    state: 'poweroff',
    guestAdditions: { runLevel: null, version: null },
    snapshots: [],
    currentSnapshot: null,
  };
  return ok({ base: b, snapshot, target });
}

const limits = (o: CallOptions): CallOptions => (o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs });

/** Remove a clone made for a start that failed (without the caller's signal: it must not be left half made). @internal */
export async function removeClone(core: ControllerCore, clone: { readonly name: string; readonly uuid: string }, argv: readonly string[], o: CallOptions): Promise<CloneUndone> {
  const gone = await core.unregister(clone, true, limits(o));
  return { name: clone.name, argv, removed: gone.isOk(), error: gone.isOk() ? null : gone.error };
}

/**
 * Make the clone and read it back. A `clonevm` cut short may have made it: VirtualBox is asked, and a clone found is
 * removed again; the error then says so (`APPLY_FAILED` with `clone`). @internal
 */
export async function makeClone(core: ControllerCore, c: CloneTarget, o: StartWithRoomOptions): Async<{ readonly vm: VmInfo; readonly made: CloneMade }> {
  const name = c.target.name;
  const argv = commands.cloneVm(c.base.uuid, c.snapshot.uuid, name);
  const made = await core.clone(c.base, c.snapshot.uuid, name, { ...(o.signal === undefined ? {} : { signal: o.signal }), timeoutMs: o.cloneTimeoutMs ?? 600_000 });
  if (made.isErr()) {
    if (outcomeOf(made.error) === 'not-applied') return err(made.error);
    const cut = await core.show(name, limits(o));
    if (cut.isErr() && cut.error.code === 'VM_NOT_FOUND') return err(made.error);
    if (cut.isErr()) return err(applyFailed(made.error, [], { name, argv, removed: false, error: cut.error }));
    return err(applyFailed(made.error, [], await removeClone(core, cut.value, argv, o)));
  }
  const back = await core.show(name, limits(o));
  // Made, but it cannot be read: removed by name (the one time a VM is named and not resolved).
  if (back.isErr()) return err(applyFailed(back.error, [], await removeClone(core, { name, uuid: name }, argv, o)));
  return ok({ vm: back.value, made: { from: c.base.name, snapshot: c.snapshot.name, name, uuid: back.value.uuid } });
}
