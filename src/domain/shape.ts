// Whether a value passed to a pure check has the shape it reads, so that a check that returns a Result answers a
// wrong value (null, a string, a half object from untyped code) with INVALID_ARGUMENT instead of throwing.
import { invalidArgument, type InvalidArgumentError } from '../errors/index.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `null` when `host` looks like a `HostInfo` (an object with `os`), else the error naming `argument`. @internal */
export function notHostInfo(host: unknown, argument = 'host'): InvalidArgumentError | null {
  return isObject(host) && typeof host['os'] === 'string'
    ? null
    : invalidArgument(argument, host, 'is not a HostInfo', 'Pass what hostInfo() returns (an object with os, osVersion, memoryMb, …).');
}

/** `null` when `vm` looks like a `VmInfo` (name, state, memoryMb, guestAdditions), else the error. @internal */
export function notVmInfo(vm: unknown, argument = 'vm'): InvalidArgumentError | null {
  const ok = isObject(vm) && typeof vm['name'] === 'string' && typeof vm['state'] === 'string' && typeof vm['memoryMb'] === 'number' && isObject(vm['guestAdditions']);
  return ok ? null : invalidArgument(argument, vm, 'is not a VmInfo', 'Pass what showVmInfo() returns (an object with name, uuid, state, memoryMb, guestAdditions, …).');
}
