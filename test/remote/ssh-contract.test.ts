// The whole client contract, with VBoxManage (the stand-in) on the far side of a real OpenSSH server on 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecaVBoxManageClient } from '../../src/index.js';
import { clientContract } from '../contract/vboxmanage-client.contract.js';
import { fakeClient, fakeWorld, remoteVBoxManage, type FakeWorld, type MakeHarness, type World } from '../contract/harness.js';
import { startSshd, type TestSshd } from './sshd.js';
import { noSshLeft } from './leftovers.js';

let sshd: TestSshd;
let controlDir: string;
const clients: ExecaVBoxManageClient[] = [];

beforeAll(async () => {
  sshd = await startSshd();
  // One connection for every client of the suite: only the first call pays the handshake.
  controlDir = mkdtempSync('/tmp/vbb-');
}, 30_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  rmSync(controlDir, { recursive: true, force: true });
  await sshd.stop();
  expect(await noSshLeft()).toEqual([]);
}, 30_000);

export function overSsh(fake: FakeWorld, options: ConstructorParameters<typeof ExecaVBoxManageClient>[0] = {}): ExecaVBoxManageClient {
  const client = fakeClient(fake, {
    ...options,
    ssh: { host: sshd.host, port: sshd.port, identityFile: sshd.identityFile, configFile: sshd.configFile, vboxManagePath: remoteVBoxManage(fake), controlPersistSec: 5, controlDir },
  });
  clients.push(client);
  return client;
}

const sshHarness: MakeHarness = (world: World) => {
  const fake = fakeWorld(world);
  const client = overSsh(fake);
  return {
    client,
    startVm: (vm) => void fake.run('startvm', vm, '--type', 'headless'),
    powerOffVm: (vm) => void fake.run('controlvm', vm, 'poweroff'),
    pauseVm: (vm) => void fake.run('controlvm', vm, 'pause'),
    saveVm: (vm) => void fake.run('controlvm', vm, 'savestate'),
    lockVm: (vm) => {
      fake.editVm(vm, { locked: true });
    },
    unlockVm: (vm) => {
      fake.editVm(vm, { locked: false });
    },
    invocations: () => fake.log().filter((e) => !(e.argv[0] === 'startvm' || (e.argv[0] === 'controlvm' && e.argv[2] !== 'guestmemoryballoon'))).length,
  };
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
