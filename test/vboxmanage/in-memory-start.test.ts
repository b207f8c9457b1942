// The in-memory host's model of a VM start: VirtualBox's memory, the default balloon, the Guest Additions coming up.
import { describe, expect, it } from 'vitest';
import { InMemoryVBoxManageClient } from '../../src/index.js';

describe('InMemoryVBoxManageClient: a VM start', () => {
  it('the Guest Additions come up additionsDelayMs after the start; until then nothing is reported and no balloon moves', async () => {
    const sim = new InMemoryVBoxManageClient({ vms: [{ name: 'vm', memoryMb: 4096, usedMb: 1024, defaultBalloonMb: 512, additionsDelayMs: 5000 }] });
    (await sim.startVm('vm'))._unsafeUnwrap();
    const booting = (await sim.showVmInfo('vm'))._unsafeUnwrap();
    expect(booting).toMatchObject({ state: 'running', balloonMb: 512, guestAdditions: { runLevel: 0 } });
    await sim.guestMemory(['vm']);
    expect((await sim.guestMemory(['vm']))._unsafeUnwrap()[0]).toMatchObject({ freeMb: null, balloonMb: null });
    expect(sim.guestState('vm').balloonMb).toBe(0);
    sim.advanceTime(5000);
    expect((await sim.showVmInfo('vm'))._unsafeUnwrap().guestAdditions.runLevel).toBe(2);
    expect((await sim.guestMemory(['vm']))._unsafeUnwrap()[0]).toMatchObject({ balloonMb: 512, freeMb: 4096 - 1024 - 512 });
  });

  it('vboxFreeMb: host RAM, less the host, less what running guests hold after their balloons; a start is counted once', async () => {
    const sim = new InMemoryVBoxManageClient({ host: { memoryMb: 8192, baseUsedMb: 1024 }, vms: [{ name: 'a', state: 'running', memoryMb: 4096, usedMb: 512 }, { name: 'b', memoryMb: 2048 }] });
    expect(sim.vboxFreeMb).toBe(3072);
    (await sim.setLiveBalloon('a', 1000))._unsafeUnwrap();
    expect(sim.vboxFreeMb).toBe(4072);
    (await sim.startVm('b'))._unsafeUnwrap();
    expect(sim.vboxFreeMb).toBe(2024);
    expect(sim.calls.filter((c) => c.method === 'startVm').map((c) => c.argv)).toEqual([['startvm', 'b', '--type', 'headless']]);
  });

  it('powerOnVm is the unchecked control: no call is counted and the memory is not checked', () => {
    const sim = new InMemoryVBoxManageClient({ host: { memoryMb: 4096, baseUsedMb: 1024 }, vms: [{ name: 'big', memoryMb: 8192 }] });
    sim.powerOnVm('big');
    expect(sim.callCount).toBe(0);
    expect(() => sim.powerOnVm('big')).toThrow(/already running/u);
  });
});
