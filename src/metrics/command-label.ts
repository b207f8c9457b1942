// The `command` label of the VBoxManage metrics: a fixed set of values, never a VM name (names are hostile and
// unbounded), so the series stay few whatever the client runs.

// Maps, not object literals: argv[0] may be `__proto__` or `constructor`.
const SUBCOMMANDS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['list', new Set(['vms', 'runningvms', 'hostinfo', 'ostypes', 'systemproperties'])],
  ['metrics', new Set(['setup', 'query', 'list', 'enable', 'disable', 'collect'])],
]);
// For these the second word is the VM; the third, when it is one of these, is the subcommand.
const VM_SUBCOMMANDS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['controlvm', new Set(['guestmemoryballoon', 'pause', 'resume', 'poweroff', 'savestate', 'acpipowerbutton'])],
]);
const COMMANDS = new Set(['showvminfo', 'modifyvm', 'startvm', 'guestproperty', 'snapshot', 'setproperty', 'debugvm', 'unregistervm', 'registervm', 'createvm', 'clonevm']);

/** The `command` label for an argv: `list runningvms`, `controlvm guestmemoryballoon`, `showvminfo`, `version`, or `other`. */
export function commandLabel(argv: unknown): string {
  if (!Array.isArray(argv)) return 'other';
  const [first, second, third] = argv as unknown[];
  if (typeof first !== 'string') return 'other';
  if (first === '--version' || first === '-v' || first === '-V') return 'version';
  const subs = SUBCOMMANDS.get(first);
  if (subs !== undefined) return typeof second === 'string' && subs.has(second) ? `${first} ${second}` : first;
  const vmSubs = VM_SUBCOMMANDS.get(first);
  if (vmSubs !== undefined) return typeof third === 'string' && vmSubs.has(third) ? `${first} ${third}` : first;
  return COMMANDS.has(first) ? first : 'other';
}
