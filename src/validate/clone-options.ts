// The arguments of cloning a VM from a template (the port's cloneVm, the fleet's `clone` option, the CLI's
// --clone-from/--snapshot), checked once at the edge. Pure.
import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, type InvalidArgumentError } from '../errors/index.js';
import { isUuid, validateVmRef } from '../domain/vm-ref.js';
import { object, optional, type Check } from './schema.js';

/**
 * A new VM's name: what a VM reference may be (no leading `-`, no NUL, no line break), and never a UUID (VirtualBox
 * would look a UUID up as one, so the clone could never be named by its name). @internal
 */
export const cloneName: Check<string> = (value, path, vm) => {
  const ref = validateVmRef(value, path);
  if (ref.isErr()) return err(ref.error);
  if (isUuid(ref.value)) return err(invalidArgument(path, value, 'reads as a UUID, so VirtualBox would never find the VM by this name', "Pass a name such as 'ci-7'.", vm ?? null));
  if (ref.value.length > 200) return err(invalidArgument(path, value, 'is longer than 200 characters', "Pass a shorter name such as 'ci-7'.", vm ?? null));
  return ok(ref.value);
};

/** A snapshot's name or UUID: a non-empty string without NUL or line breaks that VBoxManage cannot read as an option. @internal */
export const snapshotRef: Check<string> = (value, path, vm) => {
  const ref = validateVmRef(value, path);
  if (ref.isErr()) {
    const e = ref.error;
    return err(invalidArgument(path, value, e.message.includes('is empty') ? 'is empty' : 'is not a snapshot name or UUID VBoxManage can take', "Pass the snapshot's name or UUID ('VBoxManage snapshot BASE list' shows them), e.g. 'base'.", vm ?? null));
  }
  return ok(ref.value);
};

const baseRef: Check<string> = (value, path, vm) => {
  const r = validateVmRef(value, path);
  return r.isErr() ? err(invalidArgument(path, value, 'is not a VM name or UUID', "Pass the base VM's name or UUID, e.g. 'ci-base'.", vm ?? null)) : ok(r.value);
};

/** What a clone is made from and called: the base VM, its snapshot (default: the base's current snapshot), the new name. */
export interface CloneSpec {
  /** The base VM (name or UUID) to clone; it must be registered on the host and have the snapshot. */
  readonly from: string;
  /** The base's snapshot to clone (name or UUID). Default: the base's current snapshot. */
  readonly snapshot?: string;
  /** The clone's name. */
  readonly name: string;
}

const cloneShape = object({ from: optional(baseRef), snapshot: optional(snapshotRef), name: optional(cloneName) });

/** Check a {@link CloneSpec}: `from` and `name` required, `snapshot` optional, no other keys. @internal */
export function checkCloneSpec(value: unknown, path = 'options.clone'): Result<CloneSpec, InvalidArgumentError> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return err(invalidArgument(path, value, 'is not an object', "Pass { from: 'ci-base', snapshot: 'base', name: 'ci-7' }.", null));
  }
  const shaped = cloneShape(value, path);
  if (shaped.isErr()) return err(shaped.error);
  const { from, snapshot, name } = shaped.value;
  if (from === undefined) return err(invalidArgument(`${path}.from`, undefined, 'is missing', "Pass the base VM, e.g. from: 'ci-base'.", null));
  if (name === undefined) return err(invalidArgument(`${path}.name`, undefined, 'is missing', "Pass the clone's name, e.g. name: 'ci-7'.", null));
  if (name === from) return err(invalidArgument(`${path}.name`, name, 'is the name of the base', "Pass a new name for the clone, e.g. 'ci-7'.", null));
  return ok({ from, name, ...(snapshot === undefined ? {} : { snapshot }) });
}

const cloneFromShape = object({ from: optional(baseRef), snapshot: optional(snapshotRef) });

/** A controller's `clone` option: `from` required, `snapshot` optional, no other keys. @internal */
export const checkCloneFrom: Check<{ from: string; snapshot?: string }> = (value, path, vm) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return err(invalidArgument(path, value, 'is not an object', "Pass { from: 'ci-base', snapshot: 'base' }.", vm ?? null));
  }
  const shaped = cloneFromShape(value, path, vm);
  if (shaped.isErr()) return err(shaped.error);
  const { from, snapshot } = shaped.value;
  if (from === undefined) return err(invalidArgument(`${path}.from`, undefined, 'is missing', "Pass the base VM, e.g. from: 'ci-base'.", vm ?? null));
  if (vm !== undefined && vm !== null && from === vm) return err(invalidArgument(`${path}.from`, from, 'is the VM to start', 'Pass the base VM to clone, and a new name for the VM.', vm));
  return ok({ from, ...(snapshot === undefined ? {} : { snapshot }) });
};
