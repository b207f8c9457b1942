// Two starts with room at once on one controller (issue 24 item 1, in process; issue 22 item 3): the case every
// backend runs.
import { expect, it } from 'vitest';
import type { InMemoryVmSpec } from '../../src/index.js';
import type { BackendKind } from '../helpers/backend.js';

export const host = { memoryMb: 16_384, baseUsedMb: 2048 };
// Budget 80 % = 13 107 MB. a and b (4 GB, 512 MB used) back 8192 MB: 4915 MB of headroom, room for ONE 4224 MB start
// without ballooning; the second must balloon 3533 MB (VirtualBox could not back it otherwise: 6144 MB free to it).
export const pair: InMemoryVmSpec[] = [
  { name: 'a', state: 'running', memoryMb: 4096, usedMb: 512 },
  { name: 'b', state: 'running', memoryMb: 4096, usedMb: 512 },
  { name: 'x1', state: 'poweroff', memoryMb: 4096 },
  { name: 'x2', state: 'poweroff', memoryMb: 4096 },
];

/** Two starts at once on one controller of `kind`: both start, the second planned with the first held. */
export function bothStart(kind: BackendKind): void {
  it(`over ${kind.name}: both start; the second plans with the first held and balloons for itself`, async () => {
    const { vbox } = kind.make({ host, vms: pair });
    await vbox.inspectAll(); // the guests report from here on
    const [r1, r2] = await Promise.all([vbox.startWithRoom('x1', { pollMs: 10 }), vbox.startWithRoom('x2', { pollMs: 10 })]);
    const first = r1._unsafeUnwrap();
    const second = r2._unsafeUnwrap();
    expect(first.plan).toMatchObject({ reservedMb: 0, reclaimMb: 0 });
    // x1 counts on x2's plan: as a start in flight (4224 MB reserved) or, once it runs, with its RAM.
    expect(second.plan.backingMb + second.plan.reservedMb).toBeGreaterThanOrEqual(8192 + 4096);
    expect(second.plan.reclaimMb).toBeGreaterThanOrEqual(3405);
    expect(second.changes.length).toBeGreaterThan(0);
    expect([first.state, second.state]).toEqual(['running', 'running']);
  });
}

