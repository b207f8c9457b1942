// What every command file exports: its help, its flags, and how it runs.
import type { Connection } from './connect.js';
import type { FleetConnection } from './fleet/connect-fleet.js';
import type { Ui } from './ui.js';
import type { UsageError } from './usage-error.js';

/** A flag, as node:util parseArgs declares it. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /**
   * A boolean flag that may carry a value (`--wait`, `--wait 30s`, `--wait=30s`): a following word is taken as its
   * value only when it matches. The value is then found under `NAME-value`.
   */
  readonly optionalValue?: RegExp;
}

/** The parsed command line of one command. */
export interface Parsed {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/** What a command runs with. */
export interface CommandContext {
  readonly args: Parsed;
  readonly ui: Ui;
  /** Connect to VirtualBox (or the simulated fleet); only after the command line has been checked. */
  readonly connect: () => Connection;
  /**
   * The fleet, when the command line names several hosts or a hosts file (only for commands with `acrossHosts`);
   * `null` otherwise, and then `connect` is the one host.
   */
  readonly fleet: (() => FleetConnection) | null;
  /**
   * Aborted on the first Ctrl-C (SIGINT), SIGTERM, SIGHUP (a closed terminal) or SIGQUIT; a command that handles it
   * says what it did. For a command that prints until stopped, also when stdout's reader has gone.
   */
  readonly interrupt: AbortSignal;
  /**
   * What to say (and keep) if a second signal ends the process at once, instead of the default (every change made
   * so far, on stderr); must be synchronous. Returns the way to unregister it.
   */
  readonly onExit: (say: () => void) => () => void;
  /** A usage error for this command. */
  readonly usage: (message: string) => UsageError;
  /**
   * Reload on SIGHUP: while `listener` is registered, SIGHUP calls it (and does not wind the command down). Where the
   * process cannot deliver SIGHUP, the listener is never called. Returns the way to unregister it.
   */
  readonly onHangup: (listener: () => void) => () => void;
  /** The environment the CLI runs in. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Every command (the one table), for the commands that describe the others (completion). */
  readonly commands: readonly Command[];
  /** The version of vbox-balloon. */
  readonly version: string;
  /** The private state directory: --state-dir, else the environment's (see state-dir.ts). */
  readonly stateDir: string;
}

/** One `vbox-balloon` command. */
export interface Command {
  readonly name: string;
  /** One line for the overview. */
  readonly summary: string;
  /** The usage line, e.g. `vbox-balloon set VM SIZE [--wait [TIMEOUT]]`. */
  readonly usage: string;
  /** The rest of `--help`: what it does, its flags, examples. */
  readonly help: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** It runs across several hosts (`ctx.fleet`); a command without it is refused with several hosts (it changes VMs). */
  readonly acrossHosts?: boolean;
  /** It prints until stopped (the autopilot): a closed stdout stops it as Ctrl-C does, and it exits quietly. */
  readonly printsUntilStopped?: boolean;
  /** Check the command line and run; returns the exit code. A usage error means nothing ran. */
  run(ctx: CommandContext): Promise<number | UsageError>;
}
