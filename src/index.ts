/**
 * vbox-balloon: typed VirtualBox guest memory ballooning through VBoxManage. Guides: getting started, concepts,
 * errors, the autopilot, remote hosts and testing ship with the package in `docs/` (and are linked from the README).
 *
 * @packageDocumentation
 * @module vbox-balloon
 */
// The public API: every export is listed by name, nothing internal.

export type {
  AbortedError,
  ApplyFailedError,
  BalloonError,
  BalloonErrorBase,
  BalloonErrorCode,
  AutopilotRunningError,
  BlockedError,
  ErrorFix,
  FixStep,
  FixVerb,
  ChangeOutcome,
  ChangeRecord,
  CloneUndone,
  GuestAdditionsNotRunningError,
  HostUnsupportedError,
  InvalidArgumentError,
  InvalidBalloonSizeError,
  InvalidVmStateError,
  LargePagesEnabledError,
  HostRefusal,
  LeftOutVm,
  NoHostError,
  NoRoomError,
  ParseError,
  ReclaimShortfallError,
  RoomNotReadyError,
  SnapshotNotFoundError,
  SshFailedError,
  SshFailureKind,
  RestoredBalloon,
  TimeoutError,
  VBoxManageFailedError,
  VBoxManageNotFoundError,
  VmExistsError,
  VmFailure,
  VmLockedError,
  VmNotFoundError,
} from './errors/index.js';
export { BALLOON_ERROR_CODES, fixText, isBalloonError, outcomeOf, sdkStepWords } from './errors/index.js';

export type { StateMemory, VmState } from './domain/vm-state.js';
export { LIVE_BALLOON_STATES, MUTABLE_STATES, STARTABLE_STATES, STATE_MEMORY, VM_STATES } from './domain/vm-state.js';
export type { HostFamily, HostInfo } from './domain/host.js';
export { checkHostSupport, checkPageFusionHost } from './domain/host.js';
export type { GuestAdditionsInfo, GuestAdditionsRunLevel, VmInfo, VmSnapshot, VmSummary } from './domain/vm-info.js';
export { maxBalloonMb, validateBalloonSize } from './domain/balloon-size.js';
export { isUuid, validateVmRef } from './domain/vm-ref.js';
export type { DefaultBalloonBlocker, LargePagesBlocker, LiveBalloonBlocker, PageFusionBlocker } from './domain/balloon-rules.js';
export {
  checkDefaultBalloon,
  checkLargePages,
  checkLiveBalloon,
  defaultBalloonBlockers,
  largePagesBlockers,
  liveBalloonBlockers,
  pageFusionBlockers,
} from './domain/balloon-rules.js';
export { guestFreeMeaning } from './domain/guest-free.js';

export { parseShowVmInfo } from './port/parse/showvminfo.js';
export { parseVmList } from './port/parse/vm-list.js';
export type { MetricRow } from './port/parse/metrics.js';
export { parseMetricsQuery } from './port/parse/metrics.js';
export { parseHostInfo } from './port/parse/hostinfo.js';
export type { VBoxVersion } from './port/parse/version.js';
export { parseVersion } from './port/parse/version.js';
export type { ProcessOutcome, VBoxResultCode } from './port/classify-failure.js';
export { classifyFailure, isVBoxManageFailure } from './port/classify-failure.js';

export type { CallOptions, CloneVmOptions, GuestMemory, GuestMemoryOptions, HostMemory, ModifyVmSettings, StartVmOptions, StartVmType, UnregisterVmOptions, VBoxManageClient } from './port/client.js';
export type { ExecaVBoxManageClientOptions, RetryOptions } from './real-client/execa-client.js';
export { ExecaVBoxManageClient } from './real-client/execa-client.js';
export type { SshOptions } from './real-client/ssh/ssh-target.js';
export { parseSshTarget } from './real-client/ssh/ssh-target.js';
export type {
  InMemoryCall,
  InMemoryHostSpec,
  InMemoryVBoxManageClientOptions,
  InMemoryVmSpec,
} from './in-memory/in-memory-client.js';
export { InMemoryVBoxManageClient } from './in-memory/in-memory-client.js';
export type { FailNextOptions, InMemoryFault } from './in-memory/faults.js';
export type { GuestBurstSpec, GuestModelSpec, GuestRefillSpec, GuestWaveSpec, GuestWorkload } from './in-memory/simulation/guest-model.js';
export { guestWorkload } from './in-memory/simulation/guest-model.js';
export { seedFrom } from './in-memory/simulation/random.js';
export type { SimulatedGuestState } from './in-memory/simulation/simulated-guest.js';
export type { FleetEvent, SimulatedHostControls, VirtualClock } from './in-memory/simulation/virtual-clock.js';
export { virtualClock } from './in-memory/simulation/virtual-clock.js';

export type { BalloonChange, BalloonEvent, CommandEvent, SettingsChange, TickEvent, TickFailure, Transition, WaitOutcome } from './events/index.js';
export type { BackingRule, GiveLimits, LedgerVm, MemoryLedger, MemoryRules, MemorySnapshot, MemorySnapshotVm, StartInFlight } from './domain/memory-ledger.js';
export { budgetOf, memoryLedger } from './host-memory/ledger.js';

export { BalloonController } from './controller/balloon-controller.js';
export type { FleetFromTargetsOptions, LocalControllerOptions, RemoteControllerOptions } from './connect.js';
export { fleetFromTargets, localController, remoteController } from './connect.js';
export type {
  BalloonControllerOptions,
  BalloonStatus,
  DryRunOptions,
  GuestReport,
  HostSupport,
  MemoryOptions,
  PageFusionStatus,
  Permission,
  PrepareOptions,
  ReclaimOptions,
  ReclaimPlanEntry,
  ReclaimResult,
  RestoreResult,
  SetBalloonOptions,
  WaitOptions,
} from './controller/types.js';
export type {
  CloneFrom,
  CloneMade,
  GiveBackOptions,
  GiveBackResult,
  RoomOptions,
  RoomPlan,
  RoomRecord,
  RoomSkipped,
  RoomTaken,
  StartWithRoomOptions,
  StartWithRoomResult,
} from './controller/room-types.js';
export { DEFAULT_VM_OVERHEAD_MB } from './controller/room-types.js';

export { BalloonFleet } from './fleet/balloon-fleet.js';
export type { FleetAttempt, FleetStartResult } from './fleet/place.js';
export type { FleetPlanOptions, FleetStartOptions, PlacementOptions } from './fleet/place-options.js';
export type { FleetPlacement, HostAnswer, HostVerdict, PlacementStrategy } from './fleet/rank-hosts.js';
export { PLACEMENT_STRATEGIES } from './fleet/rank-hosts.js';
export type { FleetAutopilotHandle, FleetAutopilotOptions, FleetGiveBackResult, FleetHost, FleetHostAnswer, FleetHostFailure, FleetHostResult, FleetInspection, FleetTickEvent, FleetVmStatus } from './fleet/balloon-fleet.js';

export type { BalloonPlan, BalloonSnapshot, BudgetSummary, PlanEntry, PushBack, SnapshotHost, SnapshotVm, VmLimits } from './domain/balloon-plan.js';
export { planBalloons, validatePolicy } from './autopilot/plan-balloons.js';
export { validateLimits } from './autopilot/validate-limits.js';
export type {
  AutopilotClock,
  AutopilotResumeVm,
  AutopilotHandle,
  AutopilotOptions,
  AutopilotPolicy,
  BalloonCtrlPolicy,
  BudgetPolicy,
} from './autopilot/types.js';
