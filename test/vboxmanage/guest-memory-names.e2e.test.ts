// Resolve once, read by UUID: guest figures for VMs with awkward names, and the calls it takes.
import { describe, expect, it } from 'vitest';
import { fakeClient, fakeWorld } from '../helpers/stand-in.js';

const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

describe('guestMemory by UUID', () => {
  it('needs no list vms in the steady state: one metrics query per call', async () => {
    const fake = fakeWorld({ vms: [{ name: 'web-1', state: 'running', memoryMb: 4096, usedMb: 1024 }, { name: 'web-2', state: 'running', memoryMb: 4096 }] });
    const client = fakeClient(fake);
    (await client.listRunningVms())._unsafeUnwrap();
    (await client.guestMemory([uuid(1), uuid(2)]))._unsafeUnwrap();
    const before = fake.log().length;
    const mem = (await client.guestMemory([uuid(1), uuid(2)]))._unsafeUnwrap();
    expect(fake.log().slice(before).map((l) => l.argv.slice(0, 2).join(' '))).toEqual(['metrics query']);
    expect(mem[0]).toMatchObject({ vm: uuid(1), totalMb: 4096 });
  });

  it('a running VM with a line break in its name breaks nothing, and gets its own figures', async () => {
    const fake = fakeWorld({ vms: [{ name: 'two\nlines', state: 'running', memoryMb: 2048, usedMb: 512 }, { name: 'web-1', state: 'running', memoryMb: 4096, usedMb: 1024 }] });
    const client = fakeClient(fake);
    (await client.listVms())._unsafeUnwrap();
    (await client.guestMemory([uuid(1), uuid(2)]))._unsafeUnwrap();
    const mem = (await client.guestMemory([uuid(1), uuid(2)]))._unsafeUnwrap();
    expect(mem.map((m) => m.totalMb)).toEqual([2048, 4096]);
  });

  it('names that differ only by trailing spaces never share figures', async () => {
    const fake = fakeWorld({
      vms: [
        { name: 'db', state: 'running', memoryMb: 4096, usedMb: 3700 },
        { name: 'db ', state: 'poweroff', memoryMb: 8192 },
      ],
    });
    const client = fakeClient(fake);
    (await client.listVms())._unsafeUnwrap();
    (await client.guestMemory([uuid(1), uuid(2)]))._unsafeUnwrap();
    const mem = (await client.guestMemory([uuid(1), uuid(2)]))._unsafeUnwrap();
    expect(mem[0]).toMatchObject({ totalMb: 4096 });
    expect(mem[1]).toMatchObject({ vm: uuid(2), totalMb: null, freeMb: null }); // off: nothing, not db's figures
  });

  it('a UUID that is not registered is VM_NOT_FOUND', async () => {
    const fake = fakeWorld({ vms: [{ name: 'web-1', state: 'running' }] });
    expect((await fakeClient(fake).guestMemory([uuid(9)]))._unsafeUnwrapErr().code).toBe('VM_NOT_FOUND');
  });
});
