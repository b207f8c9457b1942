// The one model of host memory: backing, budget, headroom and what each VM could give, from one snapshot.
export type { BackingRule, GiveLimits, LedgerVm, MemoryLedger, MemoryRules, MemorySnapshot, MemorySnapshotVm, ReclaimPlanEntry, StartInFlight } from './types.js';
export { budgetOf, DEFAULT_BUDGET_PERCENT, DEFAULT_KEEP_GUEST_FREE_MB, ledgerVm, ledgerVms, memoryLedger, whyNoBalloon } from './ledger.js';
export { chooseDonors, type DonorPlan } from './donors.js';
export { hostCannotBalloon, snapshotOf, snapshotVmOf, type Pending } from './from-vm-info.js';
