// The argument checks both clients share: one function, run once per call, before anything else.
import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, invalidBalloonSize, type BalloonError } from '../errors/index.js';
import { validateBalloonSizeShape } from '../domain/balloon-size.js';
import { validateVmRef } from '../domain/vm-ref.js';
import { checkClientCallOptions } from '../validate/call-options.js';
import { cloneName, snapshotRef } from '../validate/clone-options.js';
import { arrayOf, boolean, func, object, optional } from '../validate/schema.js';
import { argv as commands } from './argv.js';
import type { CloneVmOptions, ModifyVmSettings, StartVmOptions, VBoxManageClient } from './client.js';
import { checkStartVmOptions } from './start-vm.js';

/**
 * The shape of a size before the VM's RAM is known: a whole number of MB, 0 or more, that fits VBoxManage's 32-bit
 * parser. The VM's own limit is checked once its RAM is known (by the controller, or by VirtualBox). @internal
 */
export function checkSize(sizeMb: unknown, vm: string): Result<number, BalloonError> {
  const shape = validateBalloonSizeShape(sizeMb, vm);
  if (shape.isErr()) return err(shape.error);
  if (shape.value > 0xffffffff) {
    return err(invalidBalloonSize(sizeMb, 'does not fit in 32 bits, the most VBoxManage can read', { maxMb: null, memoryMb: null }, vm));
  }
  return ok(shape.value);
}

const settingsShape = object({ defaultBalloonMb: (v: unknown) => ok(v), largePages: optional(boolean), pageFusion: optional(boolean) });

/** The settings of one `modifyvm`: known keys only, at least one, `largePages` and `pageFusion` strictly boolean, a size's shape. @internal */
export function checkSettings(settings: unknown, vm: string): Result<ModifyVmSettings, BalloonError> {
  if (typeof settings !== 'object' || settings === null) {
    return err(invalidArgument('settings', settings, 'is not a settings object', 'Pass e.g. { defaultBalloonMb: 512, largePages: false }.', vm));
  }
  const shaped = settingsShape(settings, 'settings', vm);
  if (shaped.isErr()) return err(shaped.error);
  const s = settings as ModifyVmSettings;
  if (s.defaultBalloonMb === undefined && s.largePages === undefined && s.pageFusion === undefined) {
    return err(invalidArgument('settings', settings, 'change nothing', 'Pass at least one of defaultBalloonMb, largePages and pageFusion.', vm));
  }
  if (s.defaultBalloonMb !== undefined) {
    const size = checkSize(s.defaultBalloonMb, vm);
    if (size.isErr()) return err(size.error);
  }
  return ok({
    ...(s.defaultBalloonMb === undefined ? {} : { defaultBalloonMb: s.defaultBalloonMb }),
    ...(s.largePages === undefined ? {} : { largePages: s.largePages }),
    ...(s.pageFusion === undefined ? {} : { pageFusion: s.pageFusion }),
  });
}

/** One call of a {@link VBoxManageClient} method, as its caller passed it (anything at all). @internal */
export type PortCall =
  | { readonly method: 'version' | 'hostInfo' | 'listVms' | 'listRunningVms' | 'hostMemory'; readonly options: unknown }
  | { readonly method: 'showVmInfo' | 'startVm'; readonly vm: unknown; readonly options: unknown }
  | { readonly method: 'setLiveBalloon'; readonly vm: unknown; readonly sizeMb: unknown; readonly options: unknown }
  | { readonly method: 'setDefaultBalloon' | 'setLargePages' | 'modifyVm'; readonly vm: unknown; readonly settings: unknown; readonly options: unknown }
  | { readonly method: 'guestMemory'; readonly vms: unknown; readonly options: unknown }
  | { readonly method: 'cloneVm'; readonly vm: unknown; readonly options: unknown }
  | { readonly method: 'unregisterVm'; readonly vm: unknown; readonly options: unknown };

/** A call whose arguments passed: the VM, the VBoxManage argv it runs (for `guestMemory`, the `metrics query`), its options. @internal */
export interface CheckedCall {
  readonly method: keyof VBoxManageClient;
  /** The VM the call is about; `null` for host-wide calls and for `guestMemory`. */
  readonly vm: string | null;
  readonly argv: readonly string[];
  /** Only `signal` and `timeoutMs` (and `type` for `startVm`): the controller passes richer objects down. */
  readonly options: StartVmOptions;
  /** `modifyVm`'s settings with known keys only (also for `setDefaultBalloon` and `setLargePages`). */
  readonly settings: ModifyVmSettings;
  /** `guestMemory`'s VMs; empty for the others. */
  readonly vms: readonly string[];
  /** `cloneVm`'s snapshot and new name; `null` for the others. */
  readonly clone: { readonly snapshot: string; readonly name: string } | null;
  /** `guestMemory`'s `options.onRun`, told each VBoxManage run the call makes; `null` when none (and for the others). */
  readonly onRun: ((argv: readonly string[]) => void) | null;
}

const vmList = arrayOf(validateVmRef, { example: "['web-1']" });

// One option, read once; an object whose getters throw gives a value no check accepts (never a throw).
const field = (options: unknown, key: string): unknown => {
  try {
    return typeof options === 'object' && options !== null ? (options as Record<string, unknown>)[key] : undefined;
  } catch {
    return Symbol('unreadable');
  }
};

/** `cloneVm`'s options: a snapshot and a new name, both required; the call options beside them. @internal */
function checkCloneVmOptions(options: unknown, vm: string): Result<Pick<CloneVmOptions, 'snapshot' | 'name'>, BalloonError> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return err(invalidArgument('options', options, 'is not an options object', "Pass { snapshot: 'base', name: 'ci-7' }.", vm));
  }
  const snapshot = snapshotRef(field(options, 'snapshot'), 'options.snapshot', vm);
  if (snapshot.isErr()) return err(snapshot.error);
  const name = cloneName(field(options, 'name'), 'options.name', vm);
  if (name.isErr()) return err(name.error);
  return ok({ snapshot: snapshot.value, name: name.value });
}

const deleteFlag = (options: unknown, vm: string): Result<boolean, BalloonError> => optional(boolean)(field(options, 'delete'), 'options.delete', vm).map((d) => d === true);

/**
 * The argument check both clients run, once per call and before anything else: the VM reference, then the call's
 * own arguments (size, settings, start type), then the call options. A refused call runs nothing. @internal
 */
export function checkCall(call: PortCall): Result<CheckedCall, BalloonError> {
  const done = (vm: string | null, argv: readonly string[], options: unknown, extra: Partial<CheckedCall> = {}): Result<CheckedCall, BalloonError> =>
    checkClientCallOptions(options).map((o) => ({ method: call.method, vm, argv, options: o, settings: {}, vms: [], clone: null, onRun: null, ...extra }));
  switch (call.method) {
    case 'version':
    case 'hostInfo':
    case 'hostMemory':
    case 'listVms':
    case 'listRunningVms': {
      const argv = call.method === 'version' ? commands.version() : call.method === 'listVms' ? commands.listVms() : call.method === 'listRunningVms' ? commands.listRunningVms() : commands.hostInfo();
      return done(null, argv, call.options);
    }
    case 'guestMemory':
      return vmList(call.vms, 'vms').andThen((vms) =>
        optional(func)(field(call.options, 'onRun'), 'options.onRun').andThen((onRun) =>
          done(null, commands.metricsQuery(), call.options, { vms, onRun: (onRun as ((argv: readonly string[]) => void) | undefined) ?? null }),
        ),
      );
    case 'showVmInfo':
      return validateVmRef(call.vm).andThen((vm) => done(vm, commands.showVmInfo(vm), call.options));
    case 'startVm':
      return validateVmRef(call.vm).andThen((vm) =>
        checkStartVmOptions(call.options, vm).map((o) => ({ method: call.method, vm, argv: commands.startVm(vm, o.type), options: o, settings: {}, vms: [], clone: null, onRun: null })),
      );
    case 'cloneVm':
      return validateVmRef(call.vm).andThen((vm) => checkCloneVmOptions(call.options, vm).andThen((c) => done(vm, commands.cloneVm(vm, c.snapshot, c.name), call.options, { clone: c })));
    case 'unregisterVm':
      return validateVmRef(call.vm).andThen((vm) => deleteFlag(call.options, vm).andThen((del) => done(vm, commands.unregisterVm(vm, del), call.options)));
    case 'setLiveBalloon':
      return validateVmRef(call.vm).andThen((vm) => checkSize(call.sizeMb, vm).andThen((n) => done(vm, commands.setLiveBalloon(vm, n), call.options)));
    default:
      return validateVmRef(call.vm).andThen((vm) => checkSettings(call.settings, vm).andThen((s) => done(vm, commands.modifyVm(vm, s), call.options, { settings: s })));
  }
}
