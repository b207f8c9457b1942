// Make room for a VM and start it: plan from the budget and the running guests, inflate balloons (most-free guests
// first), wait until they have freed enough, run startvm. On any failure the balloons are put back through the one
// rollback of apply-changes, and the error says what was done and undone.
import { err, ok, type Result } from 'neverthrow';
import { aborted, applyFailed, invalidVmState, noRoom, outcomeOf, roomNotReady, type BalloonError, type ChangeRecord } from '../errors/index.js';
import type { VmInfo } from '../domain/vm-info.js';
import { isUuid } from '../domain/vm-ref.js';
import { STARTABLE_STATES, type VmState } from '../domain/vm-state.js';
import { argv as commands } from '../port/argv.js';
import { sleep } from '../util/sleep.js';
import { alreadyRunning } from '../port/start-vm.js';
import { applyLiveSteps, rollBack, type LiveStep } from './apply-changes.js';
import { isOnline, type Async, type ControllerCore } from './controller-core.js';
import { DEFAULT_KEEP_GUEST_FREE_MB, DEFAULT_KEEP_GUEST_FREE_PERCENT, memoryLedger, snapshotOf } from '../host-memory/index.js';
import { cloneTarget, makeClone, removeClone, type CloneTarget } from './clone-start.js';
import { readInventory } from './read-host.js';
import { resolveVms } from './reclaim.js';
import { planRoom } from './room-plan.js';
import type { CloneMade, RoomOptions, RoomPlan, StartWithRoomOptions, StartWithRoomResult } from './room-types.js';

interface Planned {
  readonly target: VmInfo;
  readonly plan: RoomPlan;
  readonly steps: readonly LiveStep[];
  /** With `clone`: the base and snapshot the VM is to be made from. */
  readonly clone: CloneTarget | null;
}

const vramOf = (vm: VmInfo): number | null => {
  const raw = vm.raw.get('vram');
  return raw !== undefined && /^\d{1,7}$/u.test(raw) ? Number(raw) : null;
};

/** The plan for starting `ref`, with options already checked. Reads only. @internal */
export async function planStart(core: ControllerCore, ref: string, o: RoomOptions & Pick<StartWithRoomOptions, 'type'>): Async<Planned> {
  if (o.clone !== undefined) {
    const c = await cloneTarget(core, ref, o.clone, o);
    return c.isErr() ? err(c.error) : planFor(core, c.value.target, c.value, o);
  }
  const info = await core.show(ref, o);
  if (info.isErr()) return err(info.error);
  const target = info.value;
  if (!STARTABLE_STATES.includes(target.state)) {
    return err(isOnline(target) ? alreadyRunning(target.name, target.state) : invalidVmState(target.name, target.state, STARTABLE_STATES, 'start', 'Wait until it is off, saved or aborted.'));
  }
  return planFor(core, target, null, o);
}

// The plan for a resolved target (a VM that exists, or a clone to be made).
async function planFor(core: ControllerCore, target: VmInfo, clone: CloneTarget | null, o: RoomOptions & Pick<StartWithRoomOptions, 'type'>): Async<Planned> {
  const host = await core.hostInfo(o, true);
  if (host.isErr()) return err(host.error);
  // Every VM counts toward the budget, in whatever state (a starting or stuck VM holds memory too).
  const read = await readInventory(core, o, clone === null ? [target] : []);
  if (read.isErr()) return err(read.error);
  let vms = read.value.vms;
  let guests = read.value.guests;
  // Only the VMs of `from` (when given) may give, else every VM that holds memory; never the VM being started.
  let givers: ReadonlySet<string> | null = null;
  if (o.from !== undefined) {
    const find = (ref: string): VmInfo | undefined => vms.find((v) => (isUuid(ref) ? v.uuid === ref.replace(/[{}]/gu, '').toLowerCase() : v.name === ref));
    // A VM of `from` that is not in the list is resolved on its own, which says why it cannot be found.
    const others = await resolveVms(core, o.from.filter((ref) => find(ref) === undefined), o);
    if (others.isErr()) return err(others.error);
    const extra = others.value.filter((v) => !vms.some((k) => k.uuid === v.uuid));
    const mem = await core.guestMemory(extra.filter(isOnline), o);
    if (mem.isErr()) return err(mem.error);
    vms = [...vms, ...extra];
    guests = new Map([...guests, ...mem.value]);
    givers = new Set([...o.from.flatMap((ref) => find(ref)?.uuid ?? []), ...others.value.map((v) => v.uuid)]);
  }
  const rules = { ...(o.budgetMb === undefined ? {} : { budgetMb: o.budgetMb }), ...(o.budgetPercent === undefined ? {} : { budgetPercent: o.budgetPercent }), keepGuestFreeMb: o.keepGuestFreeMb ?? DEFAULT_KEEP_GUEST_FREE_MB, ...(o.keepGuestFreePercent === undefined ? {} : { keepGuestFreePercent: o.keepGuestFreePercent }) };
  const ledger = memoryLedger(snapshotOf(host.value, vms, guests, core), rules);
  const donors = ledger.vms.filter((v) => v.uuid !== target.uuid && (givers === null ? v.rule !== 'none' : givers.has(v.uuid)));
  const plan = planRoom({
    vm: { name: target.name, uuid: target.uuid, state: target.state, memoryMb: target.memoryMb, vramMb: vramOf(target) },
    type: o.type ?? 'headless',
    overheadMb: o.overheadMb,
    ledger,
    donors,
  });
  const byUuid = new Map(vms.map((v) => [v.uuid, v]));
  // A rollback puts back the live request each VM had (showvminfo), not the size its guest had reached.
  const steps = plan.entries.flatMap((e) => {
    const vm = byUuid.get(e.uuid);
    return vm === undefined ? [] : [{ vm, fromMb: vm.balloonMb, toMb: e.toMb }];
  });
  // A clone is made first: its plan says so.
  const withClone = clone === null ? plan : { ...plan, commands: [commands.cloneVm(clone.base.uuid, clone.snapshot.uuid, target.name), ...plan.commands] };
  return ok({ target, plan: withClone, steps, clone });
}

// Poll the balloons of the plan until together they have freed what the start needs (16 MB of slack per VM).
async function waitForRoom(core: ControllerCore, p: Planned, o: StartWithRoomOptions): Promise<Result<void, BalloonError>> {
  const timeoutMs = o.waitTimeoutMs ?? 120_000;
  const pollMs = o.pollMs ?? 1000;
  const need = p.plan.reclaimMb - 16 * p.plan.entries.length;
  const started = performance.now();
  const vms = p.steps.map((s) => s.vm);
  for (;;) {
    const mem = await core.guestMemory(vms, o.signal === undefined ? {} : { signal: o.signal });
    if (mem.isErr()) return err(mem.error);
    const freed = p.plan.entries.reduce((sum, e) => sum + Math.max(0, Math.min(mem.value.get(e.uuid)?.balloonMb ?? e.fromMb, e.toMb) - e.fromMb), 0);
    if (freed >= need) return ok(undefined);
    const waited = Math.round(performance.now() - started);
    if (waited + pollMs > timeoutMs) return err(roomNotReady(p.target.name, p.plan.reclaimMb, freed, waited));
    if (!(await sleep(pollMs, o.signal))) return err(aborted(p.target.name, [], 'not-applied'));
  }
}

const kept = (steps: readonly LiveStep[]): ChangeRecord[] =>
  steps.map((s) => ({ vm: s.vm.name, uuid: s.vm.uuid, argv: commands.setLiveBalloon(s.vm.uuid, s.toMb), fromMb: s.fromMb, toMb: s.toMb, outcome: 'applied', rollback: 'kept', rollbackError: null }));

// Plan and hold the start's memory in one turn of the controller: two starts on one controller never plan from the
// same free memory, and each rollback later undoes only its own balloons.
async function planAndHold(core: ControllerCore, ref: string, o: StartWithRoomOptions): Async<Planned> {
  return core.planning.run(
    'start',
    async () => {
      const planned = await planStart(core, ref, o);
      if (planned.isErr() || !planned.value.plan.fits || o.dryRun === true) return planned;
      // An autopilot on this controller, and every later plan, keep the start's memory off the budget until the VM
      // runs and counts itself; its donors' balloons count as inflated and give nothing more.
      core.reservations.set(planned.value.target.uuid, planned.value.plan.needMb);
      for (const s of planned.value.steps) core.holds.set(s.vm.uuid, s.toMb);
      return planned;
    },
    o.signal,
    () => err(aborted(ref, [], 'not-applied')),
  );
}

/** `startWithRoom`, with options already checked. @internal */
export async function startWithRoom(core: ControllerCore, ref: string, o: StartWithRoomOptions): Async<StartWithRoomResult> {
  const planned = await planAndHold(core, ref, o);
  if (planned.isErr()) return err(planned.error);
  const { plan, steps, clone } = planned.value;
  let target = planned.value.target;
  const taken = steps.map((s) => ({ vm: s.vm.name, uuid: s.vm.uuid, fromMb: s.fromMb, toMb: s.toMb }));
  if (!plan.fits) return err(noRoom(target.name, { needMb: plan.needMb, headroomMb: plan.headroomMb, reclaimableMb: plan.reclaimMb - plan.missingMb, keepGuestFreeMb: o.keepGuestFreeMb ?? DEFAULT_KEEP_GUEST_FREE_MB, keepGuestFreePercent: o.keepGuestFreePercent ?? DEFAULT_KEEP_GUEST_FREE_PERCENT }, plan.leftOut));
  if (o.dryRun === true) return ok({ vm: target.name, uuid: target.uuid, plan, room: { vm: target.name, uuid: target.uuid, taken }, dryRun: true, changes: [], started: false, state: target.state, interrupted: null, clone: null });
  const held = [target.uuid];
  try {
    o.onPlanned?.(plan);
  } catch {
    // The caller's callback: its failure must not stop a start whose memory is held.
  }
  try {
    let made: { readonly vm: VmInfo; readonly made: CloneMade } | null = null;
    if (clone !== null) {
      const c = await makeClone(core, clone, o);
      if (c.isErr()) return err(c.error);
      made = c.value;
      target = made.vm;
      core.reservations.set(target.uuid, plan.needMb);
      core.reservations.delete(held[0] ?? '');
      held.push(target.uuid);
    }
    const room = { vm: target.name, uuid: target.uuid, taken, ...(clone === null ? {} : { clone: { from: clone.base.name, snapshot: clone.snapshot.name } }) };
    const base = { vm: target.name, uuid: target.uuid, plan, room, clone: made?.made ?? null };
    const cloneArgv = clone === null ? [] : commands.cloneVm(clone.base.uuid, clone.snapshot.uuid, target.name);
    // Put back what this start did: its balloons (never another start's), then the clone it made.
    const undo = async (cause: BalloonError): Promise<BalloonError> => {
      const e = steps.length === 0 ? cause : await rollBack(core, cause, steps.map((step) => ({ step, outcome: 'applied' as const })), o);
      if (made === null) return e;
      const undone = await removeClone(core, target, cloneArgv, o);
      return e.code === 'APPLY_FAILED' ? applyFailed(e.cause, e.changes, undone) : applyFailed(e, [], undone);
    };
    const applied = await applyLiveSteps(core, steps, o);
    if (applied.isErr()) return err(made === null ? applied.error : applyFailed(applied.error.cause, applied.error.changes, await removeClone(core, target, cloneArgv, o)));
    if (plan.reclaimMb > 0) {
      const ready = await waitForRoom(core, planned.value, o);
      if (ready.isErr()) return err(await undo(ready.error));
    }
    const start = await core.start(target, o.type ?? 'headless', { ...(o.signal === undefined ? {} : { signal: o.signal }), timeoutMs: o.startTimeoutMs ?? 120_000 });
    let interrupted: BalloonError | null = null;
    let state: VmState | null = null;
    if (start.isErr()) {
      if (outcomeOf(start.error) === 'not-applied') return err(await undo(start.error));
      // Cut short while VirtualBox was starting it: ask VirtualBox (without the caller's signal) whether it runs.
      const back = await core.show(target.uuid, o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs });
      if (back.isErr()) {
        const left = made === null ? undefined : { name: target.name, argv: cloneArgv, removed: false, error: back.error };
        return err(steps.length === 0 && left === undefined ? start.error : applyFailed(start.error, kept(steps), left));
      }
      if (STARTABLE_STATES.includes(back.value.state)) return err(await undo(start.error));
      interrupted = start.error;
      state = back.value.state;
      core.emit({ type: 'warning', vm: target.name, message: `the start was cut short (${start.error.code}), but the VM is ${back.value.state}: the balloons stay inflated for it` });
    }
    // The state after the start, read once (after an interrupted start, the read above did); VirtualBox said it started.
    if (state === null) {
      const after = await core.show(target.uuid, o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs });
      state = after.isOk() ? after.value.state : 'running';
    }
    core.rooms.set(target.uuid, room);
    core.givenBack.delete(target.uuid);
    return ok({ ...base, dryRun: false, changes: applied.value, started: true, state, interrupted });
  } finally {
    for (const uuid of held) core.reservations.delete(uuid);
    for (const s of steps) core.holds.delete(s.vm.uuid);
  }
}
