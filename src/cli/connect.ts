// The one place that decides what the CLI talks to: the VBoxManage on this machine, or the simulated fleet.
import { BalloonController, localController, remoteController, type BalloonChange, type BalloonEvent, type CommandEvent, type SettingsChange } from '../index.js';
import { demoFleet, runSimulatedClock } from './demo-fleet.js';
import { commandLine } from './text.js';
import type { Ui } from './ui.js';

/** How to reach VirtualBox. */
export interface ConnectFlags {
  /** `--vboxmanage PATH`; otherwise the SDK looks at VBOXMANAGE_PATH, PATH and the standard places. */
  readonly vboxManagePath: string | undefined;
  /** `--simulate`: the in-memory demo fleet instead of VBoxManage. */
  readonly simulate: boolean;
  /** `--host ssh://user@host:port`: VBoxManage on that host, over OpenSSH. */
  readonly host?: string | undefined;
  /** `--ssh-config FILE`: the ssh client configuration for `--host`. */
  readonly sshConfig?: string | undefined;
  /** The host's name in a fleet: warnings and `--verbose` lines start with it. */
  readonly label?: string | undefined;
}

/** A controller, and the changes it reports as they happen. */
export interface Connection {
  readonly controller: BalloonController;
  /** Every change made so far in this run, in order (the SDK's `change` events). */
  readonly changes: readonly (BalloonChange | SettingsChange)[];
  /** Be told of each change as it is made. */
  onChange(listener: (change: BalloonChange | SettingsChange) => void): void;
  /** Be told of every controller event (for metrics). */
  onEvent(listener: (event: BalloonEvent) => void): void;
  /** Be told of every VBoxManage invocation (real host only; for metrics). */
  onCommand(listener: (event: CommandEvent) => void): void;
  /** Stop what the connection runs in the background (the simulated clock, a shared ssh connection). */
  close(): Promise<void>;
}

/** Connect as the flags say; warnings go to stderr, VBoxManage commands too with --verbose. */
export function connect(flags: ConnectFlags, ui: Pick<Ui, 'warn' | 'debug'>): Connection {
  const changes: (BalloonChange | SettingsChange)[] = [];
  const listeners: ((change: BalloonChange | SettingsChange) => void)[] = [];
  const commandListeners: ((c: CommandEvent) => void)[] = [];
  const eventListeners: ((e: BalloonEvent) => void)[] = [];
  const { label } = flags;
  const about = (vm: string | null): string | null => (label === undefined ? vm : vm === null ? label : `${label}: ${vm}`);
  const debug = (text: string): void => {
    ui.debug(label === undefined ? text : `${label}: ${text}`);
  };
  const onEvent = (e: BalloonEvent): void => {
    for (const l of eventListeners) l(e);
    if (e.type === 'warning') ui.warn(about(e.vm), e.message);
    else if (e.type === 'retry') debug(`retrying (attempt ${e.attempt}): ${commandLine(e.argv)}`);
    else if (e.type === 'change') {
      changes.push(e.change);
      for (const l of listeners) l(e.change);
    } else if (e.type === 'command' && flags.simulate) debug(`simulated: ${commandLine(e.argv)}`);
  };
  let close = (): void => undefined;
  let controller: BalloonController;
  if (flags.simulate) {
    const client = demoFleet();
    close = runSimulatedClock(client);
    controller = new BalloonController({ client, onEvent });
  } else {
    const common = {
      onEvent,
      onCommand: (c: CommandEvent) => {
        for (const l of commandListeners) l(c);
        debug(`${commandLine(c.argv)}  (exit ${c.exitCode ?? 'none'}, ${Math.round(c.durationMs)} ms)`);
      },
    };
    controller =
      flags.host === undefined
        ? localController({ ...(flags.vboxManagePath === undefined ? {} : { vboxManagePath: flags.vboxManagePath }), ...common })
        : remoteController(flags.host, {
            ...common,
            ssh: { ...(flags.vboxManagePath === undefined ? {} : { vboxManagePath: flags.vboxManagePath }), ...(flags.sshConfig === undefined ? {} : { configFile: flags.sshConfig }) },
          });
  }
  return {
    controller,
    changes,
    onChange: (l) => void listeners.push(l),
    onCommand: (l) => void commandListeners.push(l),
    onEvent: (l) => void eventListeners.push(l),
    close: async () => {
      close();
      await controller.close();
    },
  };
}
