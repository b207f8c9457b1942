import type { VmState } from './vm-state.js';

/** Guest Additions run level: 0 none, 1 system (drivers only), 2 userland (VBoxService runs), 3 desktop. */
export type GuestAdditionsRunLevel = 0 | 1 | 2 | 3;

/** What the Guest Additions report; both fields are `null` while the VM is not running. */
export interface GuestAdditionsInfo {
  /** The run level, or `null` when not reported (VM off, or no Guest Additions). Ballooning needs 2 or more. */
  readonly runLevel: GuestAdditionsRunLevel | null;
  /** The version, for example `6.0.0 r127566`, or `null` when not reported. */
  readonly version: string | null;
}

/** A snapshot of a VM, as `showvminfo --machinereadable` lists it (`SnapshotName…`, `SnapshotUUID…`). */
export interface VmSnapshot {
  /** The snapshot's name (names need not be unique; VirtualBox takes the first match in tree order). */
  readonly name: string;
  /** The snapshot's UUID, lowercase, without braces. */
  readonly uuid: string;
}

/** A VM as `VBoxManage showvminfo --machinereadable` describes it. */
export interface VmInfo {
  /** The VM's name. */
  readonly name: string;
  /** The VM's UUID, lowercase, without braces. */
  readonly uuid: string;
  /** The VM's state. */
  readonly state: VmState;
  /** Configured RAM in MB. */
  readonly memoryMb: number;
  /** `GuestMemoryBalloon` in MB: the last live request while the VM runs, otherwise the default balloon. */
  readonly balloonMb: number;
  /** Whether large pages are on; `null` when not printed (ARM VMs on 7.1). */
  readonly largePages: boolean | null;
  /**
   * Whether Page Fusion is on (`pagefusion`): VirtualBox shares identical memory pages between VMs (Windows guests
   * only); `null` when not printed.
   */
  readonly pageFusion: boolean | null;
  /** Guest Additions status. */
  readonly guestAdditions: GuestAdditionsInfo;
  /** The guest OS type description, for example `Ubuntu (64-bit)`, or `null` when absent. */
  readonly osType: string | null;
  /** The VM's snapshots in tree order (a parent before its children), as printed; empty when it has none. */
  readonly snapshots: readonly VmSnapshot[];
  /** The current snapshot (`CurrentSnapshotName`/`CurrentSnapshotUUID`), or `null` when the VM has none. */
  readonly currentSnapshot: VmSnapshot | null;
  /** Every key and value that VBoxManage printed (first occurrence of each key), unescaped. */
  readonly raw: ReadonlyMap<string, string>;
}

/** A VM as `VBoxManage list vms` names it. */
export interface VmSummary {
  /** The VM's name (`<inaccessible>` for a VM whose settings cannot be read). */
  readonly name: string;
  /** The VM's UUID, lowercase, without braces. */
  readonly uuid: string;
}
