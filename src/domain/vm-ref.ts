import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, type InvalidArgumentError } from '../errors/index.js';

const UUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/iu;

/** True when `ref` looks like a VM UUID (with or without braces); VirtualBox then looks the VM up by UUID only. */
export function isUuid(ref: string): boolean {
  return UUID.test(ref);
}

/**
 * Check a VM reference (a name or a UUID) before it goes on VBoxManage's command line. VM names are treated as
 * hostile: they are never put in a shell string, but a leading `-` would still be read as an option, and
 * VirtualBox cannot print names with line breaks unambiguously.
 */
export function validateVmRef(value: unknown, argument = 'VM reference'): Result<string, InvalidArgumentError> {
  if (typeof value !== 'string') {
    return err(invalidArgument(argument, value, `is a ${value === null ? 'null' : typeof value}, not a string`, 'Pass the VM name or UUID as a string.'));
  }
  if (value === '') return err(invalidArgument(argument, value, 'is empty', 'Pass the VM name or UUID.'));
  if (value.startsWith('-')) {
    return err(
      invalidArgument(
        argument,
        value,
        'starts with "-", which VBoxManage would read as an option',
        "Use the VM's UUID instead ('VBoxManage list vms' shows it).",
      ),
    );
  }
  if (value.includes('\0')) return err(invalidArgument(argument, value, 'contains a NUL character', 'Pass the exact VM name or its UUID.'));
  if (/[\r\n]/u.test(value)) {
    return err(invalidArgument(argument, value, 'contains a line break', "Use the VM's UUID instead ('VBoxManage list vms' shows it)."));
  }
  return ok(value);
}

/**
 * The reference to pass for a listed VM: its name, or its UUID when the name could not go on a command line
 * (a leading `-`, a line break), so that one oddly named VM never breaks a call about many.
 */
export function commandRef(vm: { readonly name: string; readonly uuid: string }): string {
  return validateVmRef(vm.name).isOk() ? vm.name : vm.uuid;
}
