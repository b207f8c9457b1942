// The events module: everything `onEvent`, `onTick` and `onCommand` carry, below the controller, the autopilot and
// the metrics, which all read these types from here.
export type { BalloonEvent } from './balloon-event.js';
export type { BalloonChange, SettingsChange, Transition, WaitOutcome } from './change.js';
export type { CommandEvent } from './command-event.js';
export type { TickEvent, TickFailure } from './tick-event.js';
