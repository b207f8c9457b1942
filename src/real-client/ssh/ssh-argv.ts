import { PRIVATE_SOCKET, SHARED_SOCKET } from './control-path.js';
import type { SshOptions } from './ssh-target.js';

// The socket: a short fixed name in the client's own private directory, OpenSSH's %C hash in a directory the caller
// gives (several hosts may share it). See control-path.ts for the length limit.
const controlPath = (o: SshOptions, controlDir: string): string => `${controlDir}/${o.controlDir === undefined ? PRIVATE_SOCKET : SHARED_SOCKET}`;

/**
 * The argv of `ssh` for one remote command: never prompts (`BatchMode`), shares one connection per host
 * (`ControlMaster=auto` with a `ControlPath` in a private directory, kept `ControlPersist` seconds), notices a dead
 * connection (`ServerAlive*`), allocates no terminal, and checks host keys as the user's ssh configuration says.
 * The destination follows `--`, so nothing after it is read as an option. @internal
 */
export function sshArgv(o: SshOptions, controlDir: string, remote: string): string[] {
  return [
    ...(o.configFile === undefined ? [] : ['-F', o.configFile]),
    // The caller's options come first: for each option ssh keeps the first value it is given, so these can override ours.
    ...(o.options ?? []).flatMap((x) => ['-o', x]),
    '-T',
    '-o', 'BatchMode=yes',
    '-o', 'ControlMaster=auto',
    '-o', `ControlPath=${controlPath(o, controlDir)}`,
    '-o', `ControlPersist=${String(o.controlPersistSec ?? 60)}`,
    '-o', 'ServerAliveInterval=10',
    '-o', 'ServerAliveCountMax=3',
    ...(o.port === undefined ? [] : ['-p', String(o.port)]),
    ...(o.user === undefined ? [] : ['-l', o.user]),
    ...(o.identityFile === undefined ? [] : ['-i', o.identityFile, '-o', 'IdentitiesOnly=yes']),
    '--',
    o.host,
    remote,
  ];
}

/** `ssh -O exit`: ends the shared connection to the host, if there is one. @internal */
export function sshExitArgv(o: SshOptions, controlDir: string): string[] {
  return [
    ...(o.configFile === undefined ? [] : ['-F', o.configFile]),
    '-o', `ControlPath=${controlPath(o, controlDir)}`,
    ...(o.port === undefined ? [] : ['-p', String(o.port)]),
    ...(o.user === undefined ? [] : ['-l', o.user]),
    ...(o.options ?? []).flatMap((x) => ['-o', x]),
    '-O', 'exit',
    '--',
    o.host,
  ];
}
