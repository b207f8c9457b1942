// The autopilot counts VMs outside `list runningvms` that hold memory (stuck, starting…), reading them cheaply.
import { describe, expect, it } from 'vitest';
import { BalloonController, InMemoryVBoxManageClient, type TickEvent } from '../../src/index.js';

describe('the autopilot and VMs outside the running list', () => {
  it('counts a stuck VM with all of its RAM, leaves it alone, and reads it again each tick without listing every VM', async () => {
    const sim = new InMemoryVBoxManageClient({
      host: { memoryMb: 16_384 },
      vms: [
        { name: 'web', state: 'running', memoryMb: 4096 },
        { name: 'stuck', state: 'gurumeditation', memoryMb: 2048 },
        { name: 'off', state: 'poweroff', memoryMb: 1024 },
      ],
    });
    const vbox = new BalloonController({ client: sim });
    const ticks: TickEvent[] = [];
    const perTick: string[][] = [];
    let seen = 0;
    const run = vbox.autopilot({
      policy: { kind: 'budget', budgetMb: 8000 },
      dryRun: true,
      maxTicks: 2,
      clock: { now: () => 0, sleep: () => Promise.resolve(true) },
      onTick: (t) => {
        ticks.push(t);
        perTick.push(sim.calls.slice(seen).map((c) => c.argv.slice(0, 2).join(' ')));
        seen = sim.calls.length;
      },
    });
    await run._unsafeUnwrap().done;
    const [first, second] = ticks;
    expect(first?.plan?.memory).toMatchObject({ backingMb: 4096 + 2048, budgetMb: 8000, headroomMb: 8000 - 6144 });
    expect(first?.plan?.entries.find((e) => e.vm === 'stuck')).toMatchObject({ deltaMb: 0, reason: expect.stringMatching(/Guru Meditation.*all of its RAM \(2048 MB\).*left alone/u) as unknown });
    expect(second?.plan?.memory.backingMb).toBe(6144);
    // First tick: every VM is listed once and each VM outside the running list read; later ticks read only the one
    // that holds memory (its state may change without the running list changing).
    expect(perTick[0]?.filter((c) => c === 'list vms')).toHaveLength(1);
    expect(perTick[0]?.filter((c) => c.startsWith('showvminfo'))).toHaveLength(3);
    expect(perTick[1]?.filter((c) => c === 'list vms')).toHaveLength(0);
    expect(perTick[1]?.filter((c) => c.startsWith('showvminfo'))).toEqual(['showvminfo 00000000-0000-4000-8000-000000000002']);
  });
});
