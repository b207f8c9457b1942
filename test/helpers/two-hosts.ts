// Two VirtualBox hosts behind two real sshd's on 127.0.0.1, each with its own stand-in world, and a closed port for a
// host that is down: the set-up of every CLI test across hosts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { FAKE_VBOXMANAGE, fakeWorld, type FakeWorld } from './stand-in.js';
import type { World } from './world.js';
import { freePort, type TestSshd } from './sshd.js';
import { useTestSshd } from './use-sshd.js';

export interface TwoHosts {
  readonly a: TestSshd;
  readonly b: TestSshd;
  /** A port nothing listens on: a host that is down. */
  readonly down: number;
  /** A private temporary folder, removed after the file. */
  readonly dir: string;
  /** The operator's ssh config for both hosts: both keys, both host keys and nothing else trusted. */
  readonly sshConfig: string;
  /** The one remote VBoxManage (pass it as --vboxmanage): it finds its world by the port the session came in on. */
  readonly remoteVBoxManage: string;
  /** `ssh://user@127.0.0.1:PORT` of a server or a bare port. */
  target: (s: TestSshd | number) => string;
  /** New stand-in worlds: `a` behind the first sshd, `b` behind the second. */
  newWorlds: (a: World, b: World) => { a: FakeWorld; b: FakeWorld };
}

/** Starts both sshd's for the file (and stops them after it); call the result inside a test or a later hook. */
export function useTwoHosts(prefix: string): () => TwoHosts {
  const ssh = useTestSshd({ servers: 2 });
  let hosts: TwoHosts | undefined;
  beforeAll(async () => {
    const [a, b] = [ssh.sshd(0), ssh.sshd(1)];
    const down = await freePort();
    const dir = mkdtempSync(join(tmpdir(), prefix));
    const remoteVBoxManage = join(dir, 'remote-vboxmanage');
    const sshConfig = join(dir, 'ssh_config');
    writeFileSync(
      sshConfig,
      ['Host *', `  UserKnownHostsFile ${a.knownHostsFile} ${b.knownHostsFile}`, '  GlobalKnownHostsFile /dev/null', '  StrictHostKeyChecking yes', '  LogLevel ERROR', `  IdentityFile ${a.identityFile}`, `  IdentityFile ${b.identityFile}`, '  IdentitiesOnly yes', ''].join('\n'),
    );
    const newWorlds = (wa: World, wb: World): { a: FakeWorld; b: FakeWorld } => {
      const worlds = { a: fakeWorld(wa), b: fakeWorld(wb) };
      // ssh forwards no environment: the one remote VBoxManage finds its world by the port the session came in on.
      writeFileSync(
        remoteVBoxManage,
        [
          '#!/bin/sh',
          'case "${SSH_CONNECTION##* }" in',
          ...([[a, worlds.a], [b, worlds.b]] as const).map(([s, w]) => `  ${s.port}) export FAKE_VBOX_STATE='${w.statePath}' FAKE_VBOX_LOG='${w.logPath}';;`),
          '  *) echo "no world for $SSH_CONNECTION" >&2; exit 99;;',
          'esac',
          `exec '${process.execPath}' '${FAKE_VBOXMANAGE}.mjs' "$@"`,
          '',
        ].join('\n'),
        { mode: 0o755 },
      );
      return worlds;
    };
    const target = (s: TestSshd | number): string => `ssh://${a.user}@127.0.0.1:${typeof s === 'number' ? s : s.port}`;
    hosts = { a, b, down, dir, sshConfig, remoteVBoxManage, target, newWorlds };
  }, 60_000);
  afterAll(() => {
    if (hosts !== undefined) rmSync(hosts.dir, { recursive: true, force: true });
  });
  return () => {
    if (hosts === undefined) throw new Error('useTwoHosts: the hosts are ready only inside tests and later hooks');
    return hosts;
  };
}
