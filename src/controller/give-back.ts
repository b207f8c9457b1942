// Give back the memory taken to start a VM: deflate each balloon inflated for it to what it asked for before, unless
// someone (a user, the autopilot) has set that balloon since; then it is theirs and left alone.
import { err, ok } from 'neverthrow';
import { invalidArgument, invalidVmState, makeFix, option, type VmFailure } from '../errors/index.js';
import { STARTABLE_STATES, stateInWords } from '../domain/vm-state.js';
import { stillRunning } from '../port/clone-vm.js';
import { isOnline, liveChange, type Async, type ControllerCore } from './controller-core.js';
import type { GiveBackOptions, GiveBackResult, RoomRecord, RoomSkipped } from './room-types.js';
import type { BalloonChange } from '../events/index.js';

async function recordFor(core: ControllerCore, target: string | RoomRecord, o: GiveBackOptions): Async<RoomRecord> {
  if (typeof target !== 'string') return ok(target);
  const info = await core.show(target, o);
  if (info.isErr()) return err(info.error);
  const record = core.rooms.get(info.value.uuid);
  if (record !== undefined) return ok(record);
  if (core.givenBack.has(info.value.uuid)) {
    return err(
      invalidArgument(
        'target',
        target,
        'was already given back: the memory taken to start it was returned earlier',
        'Nothing was changed; there is nothing left to give back for it until it is started with room again.',
        info.value.name,
      ),
    );
  }
  return err(
    invalidArgument(
      'target',
      target,
      'names a VM this controller made no room for',
      'Pass the record startWithRoom returned (result.room), kept from the run that started it (the CLI keeps it in its state directory).',
      info.value.name,
    ),
  );
}

/** `giveBack`, with its arguments already checked. @internal */
export async function giveBack(core: ControllerCore, target: string | RoomRecord, o: GiveBackOptions): Async<GiveBackResult> {
  const found = await recordFor(core, target, o);
  if (found.isErr()) return err(found.error);
  const record = found.value;
  const admitted = await core.show(record.uuid, o);
  if (admitted.isErr() && admitted.error.code !== 'VM_NOT_FOUND') return err(admitted.error);
  if (o.delete === true && record.clone === undefined) {
    return err(
      invalidArgument('options.delete', true, `cannot remove VM ${JSON.stringify(record.vm)}: only a clone made by startWithRoom with clone is removed (its record names its base)`, 'Leave delete out, or remove the VM yourself. Nothing was changed.', record.vm),
    );
  }
  // A clone that runs cannot be removed (its own session holds its lock), force or not.
  if (o.delete === true && admitted.isOk() && !STARTABLE_STATES.includes(admitted.value.state)) return err(stillRunning(admitted.value.name, admitted.value.state));
  if (admitted.isOk() && !STARTABLE_STATES.includes(admitted.value.state) && o.force !== true) {
    return err(
      invalidVmState(
        admitted.value.name,
        admitted.value.state,
        STARTABLE_STATES,
        'give-back of the memory taken for it',
        makeFix('It still runs, and the memory was taken so that it could: stop it first, or {0} to give the memory back anyway. Nothing was changed.', option('force', 'pass-true')),
      ),
    );
  }
  const changes: BalloonChange[] = [];
  const skipped: RoomSkipped[] = [];
  const failed: VmFailure[] = [];
  let aborted = false;
  for (const t of record.taken) {
    if (aborted || o.signal?.aborted === true) {
      aborted = true;
      skipped.push({ vm: t.vm, reason: 'the caller aborted before it was given back' });
      continue;
    }
    const info = await core.show(t.uuid, o);
    if (info.isErr()) {
      if (info.error.code === 'VM_NOT_FOUND') skipped.push({ vm: t.vm, reason: 'it is no longer registered' });
      else {
        failed.push({ vm: t.vm, error: info.error });
        if (info.error.code === 'ABORTED') aborted = true;
      }
      continue;
    }
    const v = info.value;
    if (!isOnline(v)) {
      skipped.push({ vm: v.name, reason: `it is ${stateInWords(v.state)}: its live balloon is already gone` });
      continue;
    }
    // The live request VirtualBox shows is ours only while it is still the size we set; anything else was set since.
    if (v.balloonMb !== t.toMb) {
      skipped.push({ vm: v.name, reason: `its balloon was changed since (it asks for ${v.balloonMb} MB, the room set ${t.toMb} MB): left to whoever changed it` });
      continue;
    }
    const step = { vm: v, fromMb: v.balloonMb, toMb: t.fromMb };
    if (o.dryRun === true) {
      changes.push(liveChange(step, true));
      continue;
    }
    const set = await core.setLive(step, o);
    if (set.isErr()) {
      failed.push({ vm: v.name, error: set.error });
      if (set.error.code === 'ABORTED') aborted = true;
      continue;
    }
    changes.push(set.value);
  }
  let deleted = false;
  if (o.delete === true && o.dryRun !== true && !aborted && admitted.isOk()) {
    const gone = await core.unregister(admitted.value, true, o);
    if (gone.isOk()) deleted = true;
    else failed.push({ vm: admitted.value.name, error: gone.error });
  }
  if (o.dryRun !== true && failed.length === 0 && !aborted) {
    core.rooms.delete(record.uuid);
    core.givenBack.add(record.uuid);
  }
  return ok({ vm: record.vm, changes, skipped, failed, aborted, dryRun: o.dryRun === true, deleted });
}
