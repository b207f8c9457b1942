// Every autopilot option, checked before the loop starts (see src/validate).
import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, type InvalidArgumentError } from '../errors/index.js';
import { callOptionsShape } from '../validate/call-options.js';
import { boolean, durationMs, func, integer, number, object, optional, recordOf, type Check } from '../validate/schema.js';
import { validatePolicy } from './plan-balloons.js';
import { isUuid, validateVmRef } from '../domain/vm-ref.js';
import type { VmLimits } from '../domain/balloon-plan.js';
import type { AutopilotClock, AutopilotOptions, AutopilotResumeVm } from './types.js';

const mb = (example: number): Check<number> => integer({ min: 0, max: 0xffffffff, example, unit: 'of megabytes' });

const limitsShape = object({
  minMb: optional(mb(512)),
  maxBalloonMb: optional(mb(1024)),
  shares: optional(integer({ min: 0, max: 1_000_000, example: 1000 })),
  enabled: optional(boolean),
  keepFreeMb: optional(mb(512)),
  keepFreePercent: optional(number({ min: 0, max: 90, example: 20 })),
}) as Check<VmLimits>;

const limitsRecord = recordOf(limitsShape, { example: "{ 'db-1': { minMb: 2048 } }" });

/** Per-VM limits keyed by VM name or UUID: known fields only, whole MB, `enabled` strictly boolean. @internal */
export const checkLimits: Check<Record<string, VmLimits>> = (value, path, vm) => {
  const r = limitsRecord(value, path, vm);
  if (r.isErr()) return r;
  for (const key of Object.keys(r.value)) {
    const ref = validateVmRef(key, `${path} key`);
    if (ref.isErr()) return err(ref.error);
  }
  return r;
};

const resumeVm = object({ askedMb: mb(512), seenMb: optional(mb(512)) });
const resumeRecord = recordOf(resumeVm, { example: "{ '<uuid>': { askedMb: 512, seenMb: 500 } }" });

/** What an earlier run left, by VM UUID: each entry with its askedMb. */
const checkResume: Check<Record<string, AutopilotResumeVm>> = (value, path, vm) => {
  const r = resumeRecord(value, path, vm);
  if (r.isErr()) return err(r.error);
  for (const [key, entry] of Object.entries(r.value)) {
    if (!isUuid(key)) return err(invalidArgument(`${path} key`, key, 'is not a VM UUID', 'Key each VM by its UUID, as the tick events show it.'));
    if (entry.askedMb === undefined) return err(invalidArgument(`${path}.${key}.askedMb`, undefined, 'is missing', 'Pass the live balloon last asked for, in MB, e.g. 512.'));
  }
  return ok(r.value as Record<string, AutopilotResumeVm>);
};

const clockCheck: Check<AutopilotClock> = (value, path) => {
  const c = value as { now?: unknown; sleep?: unknown } | null;
  if (typeof value !== 'object' || c === null || typeof c.now !== 'function' || typeof c.sleep !== 'function') {
    return err(invalidArgument(path, value, 'is not a clock', 'Pass { now: () => ms, sleep: (ms, signal) => Promise<boolean> }, or leave it out for real time.'));
  }
  return ok(value as AutopilotClock);
};

const shape = object({
  ...callOptionsShape,
  policy: (v: unknown) => ok(v),
  intervalMs: optional(durationMs({ min: 1, example: 10_000 })),
  dryRun: optional(boolean),
  limits: optional(checkLimits),
  onTick: optional(func),
  maxTicks: optional(integer({ min: 1, example: 100 })),
  clock: optional(clockCheck),
  maxBackoffMs: optional(durationMs({ min: 1, example: 300_000 })),
  resume: optional(checkResume),
});

/** Check the autopilot's options, the policy included. @internal */
export function checkAutopilotOptions(options: unknown): Result<AutopilotOptions, InvalidArgumentError> {
  if (typeof options !== 'object' || options === null) {
    return err(invalidArgument('options', options, 'is not an options object', "Pass at least a policy, e.g. { policy: { kind: 'budget', budgetPercent: 80 } }."));
  }
  const checked = shape(options, 'options');
  if (checked.isErr()) return err(checked.error);
  const policy = validatePolicy((options as { policy?: unknown }).policy);
  if (policy.isErr()) return err(policy.error);
  return ok({ ...(checked.value as AutopilotOptions), policy: policy.value });
}
