// The VBoxManage stand-in on the far side of a real OpenSSH server on 127.0.0.1, as a Backend.
import type { ExecaVBoxManageClient, ExecaVBoxManageClientOptions } from '../../src/index.js';
import { standInBackend, type BackendKind, type Capability, type FaultSpec } from './backend.js';
import { fakeClient, fakeWorld, remoteVBoxManage, type FakeWorld } from './stand-in.js';
import type { SshdForTests } from './use-sshd.js';

/** A real client that reaches this stand-in world over the file's sshd, closed when the file is done. */
export function overSsh(ssh: SshdForTests, fake: FakeWorld, options: ExecaVBoxManageClientOptions = {}): ExecaVBoxManageClient {
  const sshd = ssh.sshd();
  const client = fakeClient(fake, {
    ...options,
    ssh: { host: sshd.host, port: sshd.port, identityFile: sshd.identityFile, configFile: sshd.configFile, vboxManagePath: remoteVBoxManage(fake), controlPersistSec: 5, controlDir: ssh.controlDir() },
  });
  return ssh.track(client);
}

/** The stand-in over ssh; the fault knobs are those of the local stand-in. */
export function sshKind(ssh: SshdForTests, faults: ReadonlySet<FaultSpec> = new Set()): BackendKind {
  const can = new Set<Capability>(['processes', 'ssh']);
  return {
    name: 'ExecaVBoxManageClient over ssh to 127.0.0.1',
    can,
    faults,
    make(world, options = {}) {
      const fake = fakeWorld(world);
      return standInBackend(fake, overSsh(ssh, fake), options, can, this.name);
    },
  };
}
