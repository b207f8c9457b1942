// The records of changes made: what a change event carries, and what the controller's calls return.
import type { BalloonError } from '../errors/index.js';

/** A setting before and after a change. */
export interface Transition<T> {
  /** The value before. */
  readonly from: T;
  /** The value after. */
  readonly to: T;
}

/** A balloon change that was made or, under `dryRun`, would be made. */
export interface BalloonChange {
  /** The VM's name (even when the caller passed its UUID). */
  readonly vm: string;
  /** The VM's UUID: the reference every command used. */
  readonly uuid: string;
  /** `live`: the running VM's balloon (controlvm); `default`: the balloon requested at every start (modifyvm). */
  readonly kind: 'live' | 'default';
  /** The size before, in MB. */
  readonly fromMb: number;
  /** The size after, in MB. */
  readonly toMb: number;
  /** The VBoxManage argv that ran or, under `dryRun`, would run. */
  readonly commands: readonly (readonly string[])[];
  /** True when nothing was changed. */
  readonly dryRun: boolean;
  /** How waiting for the guest went, when `wait` was asked for. */
  readonly wait?: WaitOutcome;
}

/** A settings change made by `disableLargePages` or `prepare`. */
export interface SettingsChange {
  /** The VM's name (even when the caller passed its UUID). */
  readonly vm: string;
  /** The VM's UUID: the reference every command used. */
  readonly uuid: string;
  /** Always `settings`. */
  readonly kind: 'settings';
  /** Large pages before and after, when they change. */
  readonly largePages?: Transition<boolean>;
  /** The default balloon before and after, when it changes. */
  readonly defaultBalloonMb?: Transition<number>;
  /** Page Fusion before and after, when it changes (`from` is `null` when showvminfo did not say). */
  readonly pageFusion?: Transition<boolean | null>;
  /** The VBoxManage argv that ran or would run: one `modifyvm`, or none when nothing needed changing. */
  readonly commands: readonly (readonly string[])[];
  /** True when nothing was changed. */
  readonly dryRun: boolean;
}

/**
 * How waiting went. The balloon was set before the wait began, so nothing that ends the wait early is an error of
 * the change: running out of time, an abort and a failed metrics read are all reported here, with the progress so far.
 */
export interface WaitOutcome {
  /** True when the guest got within the tolerance in time. */
  readonly reached: boolean;
  /** The last size the guest reported, or `null` when it reported none. */
  readonly actualMb: number | null;
  /** How long the wait took, in whole ms. */
  readonly elapsedMs: number;
  /** Why the wait ended: the size was reached, the time ran out, the caller's signal aborted it, or a read failed. */
  readonly ended: 'reached' | 'timeout' | 'aborted' | 'failed';
  /** The failure that ended the wait (`ended: 'aborted'` or `'failed'`), else `null`. The change itself stands. */
  readonly error: BalloonError | null;
}
