// Pure argv builders, one per command. Spellings that work on 6.1 and 7.x; numbers as plain decimal
// (controlvm would read a leading zero as octal).
import type { ModifyVmSettings, StartVmType } from './client.js';

/**
 * The metrics this SDK reads, all under the base metric `Guest/RAM/Usage`: the latest samples, and the least free
 * memory over the collection window (`:min`). @internal
 */
export const GUEST_RAM_METRICS = ['Guest/RAM/Usage/Total', 'Guest/RAM/Usage/Free', 'Guest/RAM/Usage/Free:min', 'Guest/RAM/Usage/Balloon', 'Guest/RAM/Usage/Cache', 'Guest/RAM/Usage/Shared'] as const;

/**
 * Samples kept per metric, one a second (`--period 1`): the window `Guest/RAM/Usage/Free:min` covers, the
 * autopilot's default interval. @internal
 */
export const METRICS_WINDOW_SAMPLES = 10;

const decimal = (n: number): string => Math.trunc(n).toString(10);

/** @internal */
export const argv = {
  version: (): string[] => ['--version'],
  hostInfo: (): string[] => ['list', 'hostinfo'],
  listVms: (): string[] => ['list', 'vms'],
  listRunningVms: (): string[] => ['list', 'runningvms'],
  showVmInfo: (vm: string): string[] => ['showvminfo', vm, '--machinereadable'],
  setLiveBalloon: (vm: string, sizeMb: number): string[] => ['controlvm', vm, 'guestmemoryballoon', decimal(sizeMb)],
  // One modifyvm, options in this order (VirtualBox applies them in argv order): balloon, large pages, Page Fusion.
  modifyVm: (vm: string, settings: ModifyVmSettings): string[] => [
    'modifyvm',
    vm,
    ...(settings.defaultBalloonMb === undefined ? [] : ['--guestmemoryballoon', decimal(settings.defaultBalloonMb)]),
    ...(settings.largePages === undefined ? [] : ['--largepages', settings.largePages ? 'on' : 'off']),
    ...(settings.pageFusion === undefined ? [] : ['--pagefusion', settings.pageFusion ? 'on' : 'off']),
  ],
  // `--type` as one word pair: 6.1 and 7.x both read `--type headless`.
  startVm: (vm: string, type: StartVmType = 'headless'): string[] => ['startvm', vm, '--type', type],
  // A linked clone of one snapshot, registered: the form GitLab Runner uses (`--options link` needs `--snapshot`).
  cloneVm: (base: string, snapshot: string, name: string): string[] => ['clonevm', base, '--snapshot', snapshot, '--options', 'link', '--name', name, '--register'],
  unregisterVm: (vm: string, del: boolean): string[] => ['unregistervm', vm, ...(del ? ['--delete'] : [])],
  // Options must come before the object; `*` covers every VM in one call (the object takes one name only).
  metricsSetup: (): string[] => ['metrics', 'setup', '--period', '1', '--samples', String(METRICS_WINDOW_SAMPLES), '*', 'Guest/RAM/Usage'],
  metricsQuery: (): string[] => ['metrics', 'query', '*', GUEST_RAM_METRICS.join(',')],
  // One VM alone, by UUID: for a VM whose name cannot be told apart in the table of all VMs.
  metricsQueryOne: (uuid: string): string[] => ['metrics', 'query', uuid, GUEST_RAM_METRICS.join(',')],
};
