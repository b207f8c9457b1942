// The one place that decides what the CLI talks to: the VBoxManage on this machine, or the simulated fleet.
import { BalloonController, type BalloonChange, type BalloonEvent, type SettingsChange } from '../index.js';
import { demoFleet, runSimulatedClock } from './demo-fleet.js';
import { commandLine } from './text.js';
import type { Ui } from './ui.js';

/** How to reach VirtualBox. */
export interface ConnectFlags {
  /** `--vboxmanage PATH`; otherwise the SDK looks at VBOXMANAGE_PATH, PATH and the standard places. */
  readonly vboxManagePath: string | undefined;
  /** `--simulate`: the in-memory demo fleet instead of VBoxManage. */
  readonly simulate: boolean;
}

/** A controller, and the changes it reports as they happen. */
export interface Connection {
  readonly controller: BalloonController;
  /** Every change made so far in this run, in order (the SDK's `change` events). */
  readonly changes: readonly (BalloonChange | SettingsChange)[];
  /** Be told of each change as it is made. */
  onChange(listener: (change: BalloonChange | SettingsChange) => void): void;
  /** Stop what the connection runs in the background (the simulated clock). */
  close(): void;
}

/** Connect as the flags say; warnings go to stderr, VBoxManage commands too with --verbose. */
export function connect(flags: ConnectFlags, ui: Ui): Connection {
  const changes: (BalloonChange | SettingsChange)[] = [];
  const listeners: ((change: BalloonChange | SettingsChange) => void)[] = [];
  const onEvent = (e: BalloonEvent): void => {
    if (e.type === 'warning') ui.warn(e.vm, e.message);
    else if (e.type === 'retry') ui.debug(`retrying (attempt ${e.attempt}): ${commandLine(e.argv)}`);
    else if (e.type === 'change') {
      changes.push(e.change);
      for (const l of listeners) l(e.change);
    } else if (e.type === 'command' && flags.simulate) ui.debug(`simulated: ${commandLine(e.argv)}`);
  };
  let close = (): void => undefined;
  let controller: BalloonController;
  if (flags.simulate) {
    const client = demoFleet();
    close = runSimulatedClock(client);
    controller = new BalloonController({ client, onEvent });
  } else {
    controller = BalloonController.local({
      ...(flags.vboxManagePath === undefined ? {} : { vboxManagePath: flags.vboxManagePath }),
      onEvent,
      onCommand: (c) => {
        ui.debug(`${commandLine(c.argv)}  (exit ${c.exitCode ?? 'none'}, ${Math.round(c.durationMs)} ms)`);
      },
    });
  }
  return {
    controller,
    changes,
    onChange: (l) => void listeners.push(l),
    close: () => {
      close();
    },
  };
}
