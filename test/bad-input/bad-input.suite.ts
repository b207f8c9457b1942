// Input that is bad on its face: the expected code, no throw (sync or async), and 0 VBoxManage runs, over both clients.
import { describe, expect, it } from 'vitest';
import { BalloonController, type BalloonError } from '../../src/index.js';
import type { BackendKind, World } from '../helpers/backend.js';
import { badControllerOptions, rows } from './rows.js';

const world: World = {
  vms: [
    { name: 'web-1', state: 'running', memoryMb: 4096 },
    { name: 'db-1', state: 'poweroff', memoryMb: 2048 },
  ],
};

async function settle(call: () => unknown): Promise<BalloonError> {
  let r: unknown;
  expect(() => (r = call())).not.toThrow();
  const settled = (await (r as PromiseLike<{ isErr(): boolean; error: BalloonError }>));
  expect(settled.isErr()).toBe(true);
  return settled.error;
}

const table = rows();

export function badInputSuite(kind: BackendKind): void {
  describe(`the bad-input table over ${kind.name}`, () => {
    it('has at least 200 rows', () => {
      expect(table.length).toBeGreaterThanOrEqual(200);
    });

    const b = kind.make(world);
    const vbox = b.vbox;
    it.each(table.map((r) => [r.label, r] as const))('%s', async (_, row) => {
      const before = b.invocations();
      const e = await settle(() => row.call(vbox, b.client));
      expect(e.code).toBe(row.code);
      expect(typeof e.message).toBe('string');
      if (e.code === 'INVALID_ARGUMENT') expect(e.message).toMatch(/(Pass|Use|Did you mean|Known options|Leave)/u);
      expect(b.invocations() - before).toBe(0);
    });

    it.each(badControllerOptions(b.client).map((o, i) => [i, o] as const))('a controller built with bad options #%i answers INVALID_ARGUMENT everywhere', async (_, o) => {
      const before = b.invocations();
      let bad: BalloonController | undefined;
      expect(() => (bad = new BalloonController(o as never))).not.toThrow();
      const ctl = bad as BalloonController;
      for (const call of [() => ctl.inspectAll(), () => ctl.setBalloon('web-1', 1), () => ctl.reclaim({ megabytes: 1 }), () => ctl.autopilot({ policy: { kind: 'budget' } })]) {
        expect((await settle(call)).code).toBe('INVALID_ARGUMENT');
      }
      expect(b.invocations() - before).toBe(0);
    });
  });
}
