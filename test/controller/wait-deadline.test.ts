// Regression: issue 20 item 7. A wait reads the guest once more at its deadline instead of giving up one poll early.
import { describe, expect, it } from 'vitest';
import { BalloonController, InMemoryVBoxManageClient } from '../../src/index.js';

describe('setBalloon with wait', () => {
  it('reads the balloon at the deadline: the wait lasts its whole timeout', async () => {
    // A balloon that moves only as simulated time passes, which nothing here moves: the wait can only time out.
    const client = new InMemoryVBoxManageClient({ balloonRateMbPerSec: 1, vms: [{ name: 'web-1', state: 'running', memoryMb: 4096, usedMb: 1024 }] });
    const vbox = new BalloonController({ client });
    const reads: number[] = [];
    const onProgress = (p: { elapsedMs: number }): void => void reads.push(p.elapsedMs);
    const r = (await vbox.setBalloon('web-1', 1024, { wait: { timeoutMs: 250, pollMs: 100, onProgress } }))._unsafeUnwrap();
    expect(r.wait).toMatchObject({ reached: false, ended: 'timeout' });
    // Reads at 0, 100, 200 and at the deadline (250): the last one is not before it.
    expect(reads).toHaveLength(4);
    expect(reads[3]).toBeGreaterThanOrEqual(250);
  });
});
