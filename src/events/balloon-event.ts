// Everything `onEvent` receives, from the controller's calls and its autopilot alike.
import type { BalloonChange, SettingsChange } from './change.js';
import type { ErrorFix } from '../errors/index.js';
import type { TickEvent } from './tick-event.js';

/** What the controller tells `onEvent`; the library itself never writes to the console. */
export type BalloonEvent =
  | {
      /** A client call the controller (or its autopilot) is about to make: one per VBoxManage run it asks for. */
      readonly type: 'command';
      /** The equivalent VBoxManage argv. */
      readonly argv: readonly string[];
    }
  | {
      /**
       * A change was made: by a call, by the autopilot, or by putting back a change when a call failed midway (one
       * event per change; an answer that could not be read counts once reading the VM back shows it was made).
       */
      readonly type: 'change';
      /** The change. */
      readonly change: BalloonChange | SettingsChange;
    }
  | {
      /** A VBoxManage call is being tried again after a transient error (real client only). */
      readonly type: 'retry';
      /** The argv of the call. */
      readonly argv: readonly string[];
      /** The attempt that is starting (2 for the first retry). */
      readonly attempt: number;
    }
  | {
      /** An autopilot tick ended (the same event `onTick` gets). */
      readonly type: 'tick';
      /** What happened in the tick. */
      readonly tick: TickEvent;
    }
  | {
      /** Something the caller should know that is not an error. */
      readonly type: 'warning';
      /** The VM concerned, or `null`. */
      readonly vm: string | null;
      /** What happened. */
      readonly message: string;
      /** What the message names of SDK calls or options, as data (see `ErrorFix`), when it names any. */
      readonly fix?: ErrorFix;
    };
