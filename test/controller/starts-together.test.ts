// Two starts with room at once on one controller (issue 24 item 1, in process; issue 22 item 3): each plans from
// memory the other has not taken, and a failing start's rollback undoes only its own balloons.
import { describe, expect, it } from 'vitest';
import { BalloonController, InMemoryVBoxManageClient } from '../../src/index.js';
import { inMemory } from '../helpers/backend.js';
import { bothStart, host } from './starts-together.contract.js';

describe('two starts with room at once on one controller', () => {
  bothStart(inMemory);

  it('a failing start rolls back only its own balloons, never those inflated for the start beside it', async () => {
    // Over budget: c (6 GB) gives x1 its 4224 MB; x2 must take its own from a and b, because c is held for x1.
    const client = new InMemoryVBoxManageClient({
      host,
      vms: [
        { name: 'a', state: 'running', memoryMb: 4096, usedMb: 512 },
        { name: 'b', state: 'running', memoryMb: 4096, usedMb: 512 },
        { name: 'c', state: 'running', memoryMb: 6144, usedMb: 512 },
        { name: 'x1', state: 'poweroff', memoryMb: 4096 },
        { name: 'x2', state: 'poweroff', memoryMb: 4096 },
      ],
    });
    const x2 = (await client.showVmInfo('x2'))._unsafeUnwrap().uuid;
    const startVm = client.startVm.bind(client);
    // x2's start dies as VirtualBox's does; x1's goes through.
    client.startVm = (vm, o) => {
      if (vm === x2) client.failNext('startVm', 'failed');
      return startVm(vm, o);
    };
    const vbox = new BalloonController({ client });
    await vbox.inspectAll();
    const [r1, r2] = await Promise.all([vbox.startWithRoom('x1', { pollMs: 10 }), vbox.startWithRoom('x2', { pollMs: 10 })]);
    const first = r1._unsafeUnwrap();
    expect(first.room.taken.map((t) => t.vm)).toEqual(['c']);
    const e = r2._unsafeUnwrapErr();
    expect(e.code).toBe('APPLY_FAILED');
    if (e.code !== 'APPLY_FAILED') return;
    expect(e.changes.map((c) => [c.vm, c.rollback])).toEqual([
      ['a', 'restored'],
      ['b', 'restored'],
    ]);
    const balloon = async (vm: string): Promise<number> => (await client.showVmInfo(vm))._unsafeUnwrap().balloonMb;
    expect(await balloon('c')).toBe(first.room.taken[0]?.toMb);
    expect([await balloon('a'), await balloon('b')]).toEqual([0, 0]);
  });
});
