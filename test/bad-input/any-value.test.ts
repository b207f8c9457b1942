// Property: for ANY JavaScript values as arguments, every public method returns a Result (sync or async) and never
// throws or rejects. Run on the in-memory client (fast), with a host that has VMs to find.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BalloonController, InMemoryVBoxManageClient } from '../../src/index.js';

const host = (): InMemoryVBoxManageClient =>
  new InMemoryVBoxManageClient({ vms: [{ name: 'web-1', state: 'running', memoryMb: 4096 }, { name: 'db-1', memoryMb: 2048 }] });

// Values a caller might pass, plus the odd good one so that some calls go through to VirtualBox.
const arg = fc.oneof(fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true }), fc.constantFrom('web-1', 'db-1', 512, 0, {}, { dryRun: true }, undefined));

type AnyMethod = (...args: unknown[]) => unknown;

async function settles(value: unknown): Promise<boolean> {
  const r = (await (value as PromiseLike<unknown>)) as { isOk?: () => boolean; isErr?: () => boolean };
  return typeof r.isOk === 'function' && typeof r.isErr === 'function';
}

describe('any value, any method: a Result, never a throw', () => {
  const controllerMethods = ['hostSupport', 'inspect', 'inspectAll', 'setBalloon', 'setDefaultBalloon', 'disableLargePages', 'prepare', 'reclaim', 'restore', 'planStart', 'startWithRoom', 'giveBack'];
  for (const name of controllerMethods) {
    it(`BalloonController.${name}`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(arg, { maxLength: 4 }), async (args) => {
          const vbox = new BalloonController({ client: host() }) as unknown as Record<string, AnyMethod>;
          const method = vbox[name] as AnyMethod;
          let out: unknown;
          expect(() => (out = method.apply(vbox, args))).not.toThrow();
          expect(await settles(out)).toBe(true);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('BalloonController.autopilot (stopped at once)', () => {
    fc.assert(
      fc.property(arg, (options) => {
        const r = new BalloonController({ client: host() }).autopilot(options as never);
        if (r.isOk()) r.value.stop();
        return typeof r.isOk === 'function';
      }),
      { numRuns: 150 },
    );
  });

  const clientMethods = ['version', 'hostInfo', 'listVms', 'listRunningVms', 'showVmInfo', 'setLiveBalloon', 'setDefaultBalloon', 'setLargePages', 'modifyVm', 'guestMemory', 'hostMemory', 'startVm'];
  for (const name of clientMethods) {
    it(`InMemoryVBoxManageClient.${name}`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(arg, { maxLength: 3 }), async (args) => {
          const client = host() as unknown as Record<string, AnyMethod>;
          let out: unknown;
          expect(() => (out = (client[name] as AnyMethod).apply(client, args))).not.toThrow();
          expect(await settles(out)).toBe(true);
        }),
        { numRuns: 150 },
      );
    });
  }
});
