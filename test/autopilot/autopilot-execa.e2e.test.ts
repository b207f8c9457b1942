// The autopilot over the real client and the VBoxManage stand-in: real processes, real (short) waits.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BalloonController, type TickEvent } from '../../src/index.js';
import { fakeClient, fakeWorld, leftoverProcesses } from '../helpers/stand-in.js';

describe('autopilot against the VBoxManage stand-in', () => {
  it('a steady tick costs 2 + the VMs that changed', async () => {
    const vms = Array.from({ length: 5 }, (_, i) => ({ name: `vm-${i}`, state: 'running' as const, memoryMb: 4096, usedMb: 1000 + 200 * i }));
    const fake = fakeWorld({ host: { memoryMb: 16384 }, vms });
    const controller = new BalloonController({ client: fakeClient(fake) });
    const perTick: number[] = [];
    const events: TickEvent[] = [];
    let seen = 0;
    const handle = controller
      .autopilot({
        policy: { kind: 'budget', budgetMb: 12_000, maxChangeMb: 300 },
        intervalMs: 20,
        maxTicks: 6,
        onTick: (e) => {
          events.push(e);
          const n = fake.log().length;
          perTick.push(n - seen);
          seen = n;
        },
      })
      ._unsafeUnwrap();
    expect(await handle.done).toBe(6);
    expect(events.every((e) => e.errors.length === 0)).toBe(true);
    // First tick: list runningvms, 5 showvminfo, list hostinfo, metrics setup, metrics query, list vms (VMs outside
    // the running list may hold memory: none here), then the changes.
    expect(perTick[0]).toBe(1 + 5 + 1 + 2 + 1 + (events[0]?.applied.length ?? 0));
    for (let i = 1; i < events.length; i++) expect(perTick[i]).toBe(2 + (events[i]?.applied.length ?? 0));
    expect(events.some((e) => e.applied.length > 0)).toBe(true);
  }, 60_000);

  it('stop() during a hanging VBoxManage call ends it (the call has no time limit to speak of: only stop can)', async () => {
    const fake = fakeWorld({ vms: [{ name: 'a', state: 'running' }] });
    fake.setFaults({ hang: ['list runningvms'] });
    const h = new BalloonController({ client: fakeClient(fake, { timeoutMs: 600_000 }) }).autopilot({ policy: { kind: 'budget' } })._unsafeUnwrap();
    // Stop once the stand-in has started to hang (it writes its pid and its child's), not after a guessed delay.
    while (!existsSync(`${fake.statePath}.pids`) || readFileSync(`${fake.statePath}.pids`, 'utf8').trim().split('\n').length < 2) await new Promise((r) => setTimeout(r, 10));
    h.stop();
    expect(await h.done).toBe(1);
    for (let i = 0; i < 50 && leftoverProcesses(fake.statePath).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(leftoverProcesses(fake.statePath)).toEqual([]);
  }, 20_000);
});
