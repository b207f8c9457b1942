import { describe, expect, it } from 'vitest';
import { InMemoryVBoxManageClient } from '../../src/index.js';

describe('the in-memory call log is bounded', () => {
  it('keeps at most callLogLimit calls (default 10 000) and counts them all', async () => {
    const sim = new InMemoryVBoxManageClient({ vms: [{ name: 'a', state: 'running' }] });
    for (let i = 0; i < 25_000; i++) await sim.listRunningVms();
    expect(sim.callCount).toBe(25_000);
    expect(sim.calls.length).toBeLessThanOrEqual(10_000);
    expect(sim.calls.length).toBeGreaterThanOrEqual(5_000);
    expect(sim.calls.at(-1)?.argv).toEqual(['list', 'runningvms']);
  });

  it('callLogLimit 0 keeps nothing, but still counts', async () => {
    const sim = new InMemoryVBoxManageClient({ callLogLimit: 0 });
    await sim.listVms();
    expect(sim.calls).toEqual([]);
    expect(sim.callCount).toBe(1);
  });
});
