// A fleet of hosts: two "remote" hosts over a real sshd on 127.0.0.1 and one that refuses connections. The fleet's
// rules over in-memory hosts are in test/fleet/balloon-fleet.test.ts.
import { describe, expect, it } from 'vitest';
import { BalloonController, BalloonFleet, ExecaVBoxManageClient } from '../../src/index.js';
import { lab3Failed } from '../helpers/fleet.js';
import { fakeWorld, remoteVBoxManage } from '../helpers/stand-in.js';
import { freePort } from '../helpers/sshd.js';
import { useTestSshd } from '../helpers/use-sshd.js';

const ssh = useTestSshd();

function remoteHost(name: string, vms: { name: string; state: 'running' | 'poweroff' }[], port = ssh.sshd().port): { name: string; controller: BalloonController } {
  const sshd = ssh.sshd();
  const controlDir = ssh.controlDir();
  const fake = fakeWorld({ vms: vms.map((v) => ({ ...v, memoryMb: 2048 })) });
  const client = new ExecaVBoxManageClient({
    timeoutMs: 10_000,
    retry: { attempts: 1, delayMs: 10 },
    metricsSettleMs: 0,
    ssh: { host: '127.0.0.1', port, identityFile: sshd.identityFile, configFile: sshd.configFile, vboxManagePath: remoteVBoxManage(fake), controlPersistSec: 5, controlDir },
  });
  ssh.track(client);
  return { name, controller: new BalloonController({ client }) };
}

describe('BalloonFleet', () => {
  it('inspects every host in parallel; a host that is down is reported for that host and the others proceed', async () => {
    const down = await freePort();
    const fleet = new BalloonFleet([
      remoteHost('lab-1', [{ name: 'web-1', state: 'running' }, { name: 'db-1', state: 'poweroff' }]),
      remoteHost('lab-2', [{ name: 'web-1', state: 'running' }]),
      remoteHost('lab-3', [], down),
    ]);
    expect(lab3Failed((await fleet.inspectAll())._unsafeUnwrap())).toMatchObject({ code: 'SSH_FAILED', kind: 'refused' });
  }, 60_000);
});
