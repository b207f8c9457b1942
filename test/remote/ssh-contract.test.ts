// The whole client contract, with VBoxManage (the stand-in) on the far side of a real OpenSSH server on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { ExecaVBoxManageClient } from '../../src/index.js';
import { clientContract } from '../contract/vboxmanage-client.contract.js';
import { fakeClient, fakeWorld, remoteVBoxManage, standInHarness, type FakeWorld, type MakeHarness, type World } from '../contract/harness.js';
import { useTestSshd } from './use-sshd.js';

const ssh = useTestSshd();

export function overSsh(fake: FakeWorld, options: ConstructorParameters<typeof ExecaVBoxManageClient>[0] = {}): ExecaVBoxManageClient {
  const sshd = ssh.sshd();
  const controlDir = ssh.controlDir();
  const client = fakeClient(fake, {
    ...options,
    ssh: { host: sshd.host, port: sshd.port, identityFile: sshd.identityFile, configFile: sshd.configFile, vboxManagePath: remoteVBoxManage(fake), controlPersistSec: 5, controlDir },
  });
  return ssh.track(client);
}

const sshHarness: MakeHarness = (world: World) => {
  const fake = fakeWorld(world);
  return standInHarness(fake, overSsh(fake));
};

clientContract('ExecaVBoxManageClient over ssh to 127.0.0.1', sshHarness);

describe('over ssh', () => {
  it('VBoxManage runs in the English locale on the remote host, whatever the login environment says', async () => {
    const fake = fakeWorld({ vms: [] });
    const client = overSsh(fake);
    expect((await client.version())._unsafeUnwrap().major).toBe(7);
    expect(fake.log().at(-1)?.lcAll).toBe('C.UTF-8');
  });
});
