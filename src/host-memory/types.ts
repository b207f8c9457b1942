// The model's vocabulary lives on the domain floor (plans and events carry it); re-exported here for the model's files.
export type { BackingRule, GiveLimits, GuestGuard, LedgerVm, MemoryLedger, MemoryRules, MemorySnapshot, MemorySnapshotVm, ReclaimPlanEntry, StartInFlight } from '../domain/memory-ledger.js';
