// The one model of host memory: backing, budget, headroom and what each VM could give, from one snapshot.
export type { BackingRule, GiveLimits, GuestGuard, LedgerVm, MemoryLedger, MemoryRules, MemorySnapshot, MemorySnapshotVm, ReclaimPlanEntry, StartInFlight } from './types.js';
export { budgetOf, DEFAULT_BUDGET_PERCENT, DEFAULT_KEEP_GUEST_FREE_MB, DEFAULT_KEEP_GUEST_FREE_PERCENT, guestReserveMb, ledgerVm, ledgerVms, memoryLedger, reserveOf, whyNoBalloon, type GuestReserve } from './ledger.js';
export { chooseDonors, type DonorPlan } from './donors.js';
export { hostCannotBalloon, snapshotOf, snapshotVmOf, type Pending } from './from-vm-info.js';
