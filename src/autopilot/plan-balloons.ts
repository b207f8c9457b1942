import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, type InvalidArgumentError } from '../errors/index.js';
import { balloonCtrlSettings, planBalloonCtrlVm } from './balloonctrl-policy.js';
import { budgetRules, budgetSettings, planBudget } from './budget-policy.js';
import { snapshotLedger } from './snapshot-ledger.js';
import type { BalloonPlan, BalloonSnapshot } from '../domain/balloon-plan.js';
import type { MemoryRules } from '../host-memory/index.js';
import type { AutopilotPolicy } from './types.js';

/**
 * Decide every running VM's balloon for one tick. Pure and deterministic: an entry for every VM (those left alone
 * included), each with its reason in words; never past VirtualBox's limit or a per-VM maximum, never below 0,
 * never inflating a guest below its floor. Check a policy from outside first with {@link validatePolicy}.
 */
export function planBalloons(snapshot: BalloonSnapshot, policy: AutopilotPolicy): BalloonPlan {
  if (policy.kind === 'balloonctrl') {
    const s = balloonCtrlSettings(policy);
    // No budget steers this policy; its figures are reported against the default budget (80 % of host RAM).
    const memory = snapshotLedger(snapshot, policyRules(policy));
    return { policy: 'balloonctrl', entries: snapshot.vms.map((vm, i) => planBalloonCtrlVm(vm, s, snapshot.host, memory.vms[i])), budget: null, memory };
  }
  return planBudget(snapshot.vms, budgetSettings(policy, snapshot.host), snapshotLedger(snapshot, budgetRules(policy)));
}

/** The host-memory rules a policy plans with: its budget and the reserve every guest keeps. @internal */
export function policyRules(policy: AutopilotPolicy): MemoryRules {
  if (policy.kind === 'budget') return budgetRules(policy);
  return { keepGuestFreeMb: balloonCtrlSettings(policy).lowerLimitMb, ...(policy.guestMinFreePercent === undefined ? {} : { keepGuestFreePercent: policy.guestMinFreePercent }) };
}

const wholeMb = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Check a policy's kind and numbers before the autopilot starts. */
export function validatePolicy(policy: unknown): Result<AutopilotPolicy, InvalidArgumentError> {
  const p = (typeof policy === 'object' && policy !== null ? policy : {}) as Record<string, unknown>;
  const fields =
    p['kind'] === 'balloonctrl'
      ? ['incrementMb', 'decrementMb', 'lowerLimitMb', 'maxBalloonMb', 'safetyMarginMb']
      : p['kind'] === 'budget'
        ? ['budgetMb', 'maxChangeMb', 'deadbandMb', 'guestMinFreeMb', 'bandMb']
        : null;
  if (fields === null) return err(invalidArgument('policy.kind', p['kind'], "is not a policy kind", "Use { kind: 'balloonctrl' } or { kind: 'budget' }."));
  for (const f of fields) {
    if (p[f] !== undefined && !wholeMb(p[f])) return err(invalidArgument(`policy.${f}`, p[f], 'is not a whole number of megabytes, 0 or more', 'Pass e.g. 256, or leave it out for the default.'));
  }
  const keep = p['guestMinFreePercent'];
  if (keep !== undefined && (typeof keep !== 'number' || !(keep >= 0 && keep <= 90))) {
    return err(invalidArgument('policy.guestMinFreePercent', keep, 'is not a percentage from 0 to 90', 'Pass e.g. 10, or leave it out for the default.'));
  }
  const percent = p['budgetPercent'];
  if (percent !== undefined && (typeof percent !== 'number' || !(percent > 0 && percent <= 100))) {
    return err(invalidArgument('policy.budgetPercent', percent, 'is not a percentage above 0 and at most 100', 'Pass e.g. 80.'));
  }
  return ok(policy as AutopilotPolicy);
}
