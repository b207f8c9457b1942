// Controllers and fleets over the real client, on this machine or over ssh. With src/index.ts, the only module that
// names an adapter: the controller and the fleet depend on the VBoxManageClient port alone.
import { BalloonController } from './controller/balloon-controller.js';
import type { BalloonEvent } from './events/index.js';
import { BalloonFleet } from './fleet/balloon-fleet.js';
import { ExecaVBoxManageClient, type ExecaVBoxManageClientOptions } from './real-client/execa-client.js';
import { parseSshTarget, type SshOptions } from './real-client/ssh/ssh-target.js';

/** Options of {@link localController}: the real client's, and a listener for the controller's events. */
export interface LocalControllerOptions extends ExecaVBoxManageClientOptions {
  /** Told every event of the controller (commands, changes, retries, autopilot ticks, warnings). */
  readonly onEvent?: (event: BalloonEvent) => void;
}

/** Options of {@link remoteController}: the real client's, with ssh options besides those the target gives. */
export interface RemoteControllerOptions extends Omit<ExecaVBoxManageClientOptions, 'ssh'> {
  /** ssh options beyond the target's user, host and port (for example `identityFile` or `configFile`). */
  readonly ssh?: Partial<SshOptions>;
  /** Told every event of the controller (commands, changes, retries, autopilot ticks, warnings). */
  readonly onEvent?: (event: BalloonEvent) => void;
}

/** Options of {@link fleetFromTargets}: for every host's client, and a listener told each event with its host. */
export interface FleetFromTargetsOptions extends Omit<ExecaVBoxManageClientOptions, 'ssh'> {
  /** ssh options for every remote host (not `host`: each target gives its own). */
  readonly ssh?: Partial<Omit<SshOptions, 'host'>>;
  /** Told every event of every host's controller, with the host's name (its target). */
  readonly onEvent?: (host: string, event: BalloonEvent) => void;
}

/** A controller over the VBoxManage on this machine ({@link ExecaVBoxManageClient}); retries are reported as `retry` events. */
export function localController(options: LocalControllerOptions = {}): BalloonController {
  // `null` or a non-object is refused by the client and the controller; here it must only not throw.
  const given: unknown = options;
  const { onEvent, ...clientOptions } = typeof given === 'object' && given !== null ? (given as LocalControllerOptions) : {};
  const client = new ExecaVBoxManageClient({
    ...clientOptions,
    onCommand: (e) => {
      if (e.attempt > 1) {
        try {
          onEvent?.({ type: 'retry', argv: e.argv, attempt: e.attempt });
        } catch {
          // a listener's own bug never breaks a call
        }
      }
      clientOptions.onCommand?.(e);
    },
  });
  return new BalloonController({ client, ...(onEvent === undefined ? {} : { onEvent }) });
}

/**
 * A controller over VBoxManage on another host, through the system's OpenSSH client: `target` is
 * `ssh://user@host:port` (user and port optional), or pass `ssh` options in full to {@link ExecaVBoxManageClient}.
 * A bad target gives a controller whose every call is `INVALID_ARGUMENT`. See docs/remote.md.
 */
export function remoteController(target: string, options: RemoteControllerOptions = {}): BalloonController {
  let parsed: ReturnType<typeof parseSshTarget> | null = null;
  try {
    parsed = parseSshTarget(target);
  } catch {
    // a target whose getters throw is refused below, by the client, like any other target it cannot read
  }
  const given: unknown = options;
  const { ssh, ...rest } = typeof given === 'object' && given !== null ? (given as RemoteControllerOptions) : {};
  // A target that cannot be read goes to the client as it is, which refuses it by name on every call.
  const host: SshOptions = parsed?.isOk() === true ? { ...ssh, ...parsed.value } : { host: typeof target === 'string' ? target : String(target) };
  return localController({ ...rest, ssh: host });
}

/**
 * A fleet over ssh targets (`ssh://user@host:port`, or `local` for this machine); each host is named by its target.
 * `options` apply to every host's client (for example `ssh: { identityFile }` or `timeoutMs`).
 */
export function fleetFromTargets(targets: readonly string[], options: FleetFromTargetsOptions = {}): BalloonFleet {
  const list: unknown = targets;
  if (!Array.isArray(list)) return new BalloonFleet(list as never);
  const { onEvent, ...rest } = options;
  const local: Omit<typeof rest, 'ssh'> = { ...rest };
  delete (local as { ssh?: unknown }).ssh; // this machine's VBoxManage takes no ssh options
  return new BalloonFleet(
    (list as unknown[]).map((t) => {
      const name = String(t);
      const tag = onEvent === undefined ? {} : { onEvent: (e: BalloonEvent) => { onEvent(name, e); } };
      return { name, controller: t === 'local' ? localController({ ...local, ...tag }) : remoteController(name, { ...rest, ...tag }) };
    }),
  );
}
