// The whole client contract, with VBoxManage (the stand-in) on the far side of a real OpenSSH server on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { clientContract } from '../contract/vboxmanage-client.contract.js';
import { overSsh, sshKind } from '../helpers/ssh-backend.js';
import { fakeWorld } from '../helpers/stand-in.js';
import { useTestSshd } from '../helpers/use-sshd.js';

const ssh = useTestSshd();

clientContract(sshKind(ssh));

describe('over ssh', () => {
  it('VBoxManage runs in the English locale on the remote host, whatever the login environment says', async () => {
    const fake = fakeWorld({ vms: [] });
    const client = overSsh(ssh, fake);
    expect((await client.version())._unsafeUnwrap().major).toBe(7);
    expect(fake.log().at(-1)?.lcAll).toBe('C.UTF-8');
  });
});
