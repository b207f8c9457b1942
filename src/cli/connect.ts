// The one place that decides what the CLI talks to: the VBoxManage on this machine, or the simulated fleet.
import { BalloonController, localController, remoteController, type BalloonChange, type BalloonEvent, type CommandEvent, type SettingsChange } from '../index.js';
import { demoFleet, runSimulatedClock } from './demo-fleet.js';
import { loadSimulatedHost, saveSimulatedHost } from './simulated-host.js';
import { cliText } from './error-words.js';
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
  /** The private state directory: with --simulate, the simulated host is kept there between runs. */
  readonly stateDir?: string | undefined;
}

/** A controller, and the changes it reports as they happen. */
export interface Connection {
  readonly controller: BalloonController;
  /** Every change made so far in this run, in order (the SDK's `change` events). */
  readonly changes: readonly (BalloonChange | SettingsChange)[];
  /** With --simulate: the file the simulated host is kept in (`null` when it could not be kept); otherwise `undefined`. */
  readonly simulated?: { readonly file: string | null };
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
    if (e.type === 'warning') ui.warn(about(e.vm), e.fix === undefined ? e.message : cliText(e.message, [e.fix]));
    else if (e.type === 'retry') debug(`retrying (attempt ${e.attempt}): ${commandLine(e.argv)}`);
    else if (e.type === 'change') {
      changes.push(e.change);
      for (const l of listeners) l(e.change);
    } else if (e.type === 'command' && flags.simulate) debug(`simulated: ${commandLine(e.argv)}`);
  };
  let close = (): void => undefined;
  let controller: BalloonController;
  let simulated: { readonly file: string | null } | undefined;
  if (flags.simulate) {
    // The simulated host remembers between runs (in the state directory), unless it cannot be kept there.
    const loaded = flags.stateDir === undefined ? null : loadSimulatedHost(flags.stateDir);
    if (loaded !== null && 'problem' in loaded && !('client' in loaded)) ui.warn(null, `the simulated host cannot be kept: ${loaded.problem}; this run starts from the demo fleet and is not saved`);
    if (loaded !== null && 'client' in loaded && loaded.problem !== null) ui.warn(null, loaded.problem);
    const client = loaded !== null && 'client' in loaded ? loaded.client : demoFleet();
    simulated = { file: loaded !== null && 'client' in loaded ? loaded.file : null };
    const stopClock = runSimulatedClock(client);
    const dir = flags.stateDir;
    close = () => {
      stopClock();
      if (simulated?.file === null || dir === undefined) return;
      const saved = saveSimulatedHost(dir, client);
      if (saved !== null) ui.warn(null, `${saved.problem}; what this run changed on the simulated host is not kept`);
    };
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
    ...(simulated === undefined ? {} : { simulated }),
    onChange: (l) => void listeners.push(l),
    onCommand: (l) => void commandListeners.push(l),
    onEvent: (l) => void eventListeners.push(l),
    close: async () => {
      close();
      await controller.close();
    },
  };
}
