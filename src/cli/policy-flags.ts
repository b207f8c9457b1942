// --policy and its tuning flags, turned into the SDK's AutopilotPolicy; the SDK's validatePolicy checks the numbers.
import type { AutopilotPolicy } from '../index.js';
import type { CommandContext, FlagSpec } from './command.js';
import { stringFlag } from './parse-command-line.js';
import { budgetFlag, isUsage, mbArg } from './sizes.js';
import type { UsageError } from './usage-error.js';

const BUDGET_FLAGS = { 'max-change': 'maxChangeMb', deadband: 'deadbandMb', 'guest-min-free': 'guestMinFreeMb' } as const;
const BALLOONCTRL_FLAGS = {
  increment: 'incrementMb',
  decrement: 'decrementMb',
  'lower-limit': 'lowerLimitMb',
  'balloon-max': 'maxBalloonMb',
  'safety-margin': 'safetyMarginMb',
} as const;

/** The flags plan and autopilot take for the policy. */
export const POLICY_FLAGS: Readonly<Record<string, FlagSpec>> = Object.fromEntries(
  ['policy', 'budget', 'config', ...Object.keys(BUDGET_FLAGS), ...Object.keys(BALLOONCTRL_FLAGS)].map((f) => [f, { type: 'string' }]),
);

/** The policy flags' help. */
export const POLICY_HELP = `Policy flags:
  --policy budget|balloonctrl   How to size balloons (required; see docs/autopilot.md)
  --config FILE                 The settings file (YAML with "version: 1"): the policy, its knobs and
                                per-VM limits by name or UUID ("limits: { web-1: { max-balloon: 1G } }");
                                flags override it ('vbox-balloon config print' shows every key)
 budget (keep the memory backing the guests under a budget, shared out by weight):
  --budget SIZE|PERCENT         The budget, e.g. 24G, or a share of host RAM, e.g. 80% (default 80%)
  --max-change SIZE             The most one balloon moves per tick (default 1/64 of the VM's RAM, at least 100M)
  --deadband SIZE               Smaller changes are not made (default 10M)
  --guest-min-free SIZE         Free memory a balloon never takes from a guest (default 256M)
 balloonctrl (VBoxBalloonCtrl's algorithm; a VM balloons only with a max-balloon in its limits):
  --increment SIZE              Inflate step (default 256M)
  --decrement SIZE              Deflate step (default 128M)
  --lower-limit SIZE            Guest free memory below which the balloon deflates (default 128M)
  --balloon-max SIZE            A cap on every VM's balloon; 0 for none (default 0)
  --safety-margin SIZE          Host memory kept free when deflating (default 1024M)`;

/** The policy the flags describe, or a usage error naming the flag. */
export function policyFromFlags(ctx: CommandContext): AutopilotPolicy | UsageError {
  const kind = stringFlag(ctx.args, 'policy');
  if (kind === undefined) return ctx.usage('missing --policy budget|balloonctrl');
  if (kind !== 'budget' && kind !== 'balloonctrl') return ctx.usage(`--policy ${JSON.stringify(kind)} is not a policy; use budget or balloonctrl`);
  const own: Readonly<Record<string, string>> = kind === 'budget' ? BUDGET_FLAGS : BALLOONCTRL_FLAGS;
  const other: Readonly<Record<string, string>> = kind === 'budget' ? { ...BALLOONCTRL_FLAGS } : { ...BUDGET_FLAGS, budget: 'budgetMb' };
  for (const flag of Object.keys(other)) {
    if (stringFlag(ctx.args, flag) !== undefined) return ctx.usage(`--${flag} is not a flag of the ${kind} policy`);
  }
  const policy: Record<string, unknown> = { kind };
  for (const [flag, field] of Object.entries(own)) {
    const text = stringFlag(ctx.args, flag);
    if (text === undefined) continue;
    const n = mbArg(ctx, text, `--${flag}`);
    if (isUsage(n)) return n;
    policy[field] = n;
  }
  if (kind === 'budget') {
    const budget = budgetFlag(ctx, stringFlag(ctx.args, 'budget'));
    if (isUsage(budget)) return budget;
    Object.assign(policy, budget);
  }
  return policy as unknown as AutopilotPolicy;
}
