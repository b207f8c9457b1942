// Constructors of the errors of cloning a VM and of placing one on a fleet. @internal
import type { SnapshotNotFoundError, VmExistsError } from './error-types.js';
import type { HostRefusal, NoHostError } from './error-union.js';
import { freeze, shellWord, show } from './format.js';

/** @internal */
export function vmExists(name: string, settingsFile: string | null, base: string | null = null): VmExistsError {
  const where = settingsFile === null ? '' : ` (its settings file ${show(settingsFile)} exists)`;
  const from = base === null ? '' : ` of VM ${show(base)}`;
  return freeze({
    code: 'VM_EXISTS',
    vm: name,
    name,
    settingsFile,
    message: `Cannot make a clone${from} named ${show(name)}: a VM of that name already exists${where}. Nothing was made. Pick another name, or remove the old one first (VBoxManage unregistervm ${shellWord(name)} --delete).`,
  });
}

/** @internal */
export function snapshotNotFound(vm: string, snapshot: string | null, snapshots: readonly string[] = []): SnapshotNotFoundError {
  const has = snapshots.length === 0 ? 'it has none' : `it has ${snapshots.map((s) => show(s)).join(', ')}`;
  const what = snapshot === null ? 'has no snapshot to clone from' : `has no snapshot ${show(snapshot)}`;
  return freeze({
    code: 'SNAPSHOT_NOT_FOUND',
    vm,
    snapshot,
    snapshots,
    message: `VM ${show(vm)} ${what} (${has}). Nothing was made. A linked clone needs a snapshot of its base: name one it has, or take one while the base is off (VBoxManage snapshot ${shellWord(vm)} take ${shellWord(snapshot ?? 'base')}).`,
  });
}

/** @internal */
export function noHost(vm: string, hostCount: number, refusals: readonly HostRefusal[], tried = false): NoHostError {
  const lines = refusals.map((r) => `${r.host} ${r.reason}`).join('; ');
  const head = tried ? `No host could start VM ${show(vm)}` : `0/${hostCount} hosts can start VM ${show(vm)}`;
  return freeze({
    code: 'NO_HOST',
    vm,
    hostCount,
    refusals,
    message: `${head}: ${lines === '' ? 'the fleet has no hosts' : lines}.${tried ? '' : ' Nothing was changed.'} Free memory on a host (stop a VM, raise its budget), register the VM or its base there, or add a host.`,
  });
}
