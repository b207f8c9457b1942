import { afterEach, describe, expect, it } from 'vitest';
import { ExecaVBoxManageClient } from '../../src/index.js';
import { FAKE_VBOXMANAGE, fakeWorld, type FakeWorld } from '../helpers/stand-in.js';

let fake: FakeWorld | undefined;
afterEach(() => {
  fake = undefined;
});

const ROWS: readonly [string, Record<string, unknown>, string][] = [
  ['timeoutMs NaN', { timeoutMs: Number.NaN }, 'options.timeoutMs'],
  ['timeoutMs Infinity', { timeoutMs: Number.POSITIVE_INFINITY }, 'options.timeoutMs'],
  ['timeoutMs 2^31', { timeoutMs: 2 ** 31 }, 'options.timeoutMs'],
  ['timeoutMs 1.5', { timeoutMs: 1.5 }, 'options.timeoutMs'],
  ['timeoutMs 0', { timeoutMs: 0 }, 'options.timeoutMs'],
  ['timeoutMs string', { timeoutMs: '1000' }, 'options.timeoutMs'],
  ['maxConcurrency NaN', { maxConcurrency: Number.NaN }, 'options.maxConcurrency'],
  ['maxConcurrency 0', { maxConcurrency: 0 }, 'options.maxConcurrency'],
  ['maxConcurrency 2.5', { maxConcurrency: 2.5 }, 'options.maxConcurrency'],
  ['retry null', { retry: null }, 'options.retry'],
  ['retry.attempts NaN', { retry: { attempts: Number.NaN } }, 'options.retry.attempts'],
  ['retry.attempts 0', { retry: { attempts: 0 } }, 'options.retry.attempts'],
  ['retry.attempts Infinity', { retry: { attempts: Number.POSITIVE_INFINITY } }, 'options.retry.attempts'],
  ['retry.delayMs -1', { retry: { delayMs: -1 } }, 'options.retry.delayMs'],
  ['retry.delayMs 2^31', { retry: { delayMs: 2 ** 31 } }, 'options.retry.delayMs'],
  ['retry.delay (typo)', { retry: { delay: 5 } }, 'options.retry.delay'],
  ['metricsSettleMs NaN', { metricsSettleMs: Number.NaN }, 'options.metricsSettleMs'],
  ['env not an object', { env: 'LC_ALL=C' }, 'options.env'],
  ['env value not a string', { env: { A: 1 } }, 'options.env["A"]'],
  ['onCommand not a function', { onCommand: 'log' }, 'options.onCommand'],
  ['vboxManagePath empty', { vboxManagePath: '' }, 'options.vboxManagePath'],
  ['vboxManagePath number', { vboxManagePath: 42 }, 'options.vboxManagePath'],
  ['unknown option', { timeout: 5 }, 'options.timeout'],
];

describe('ExecaVBoxManageClient options are checked at the edge', () => {
  it.each(ROWS)('%s → INVALID_ARGUMENT naming %s, on every call, with 0 VBoxManage runs', async (_name, bad, argument) => {
    fake = fakeWorld({ vms: [{ name: 'web-1', state: 'running' }] });
    const options = { vboxManagePath: FAKE_VBOXMANAGE, env: fake.env, ...bad } as never;
    const created = ExecaVBoxManageClient.create(options);
    expect(created._unsafeUnwrapErr()).toMatchObject({ code: 'INVALID_ARGUMENT', argument });
    expect(created._unsafeUnwrapErr().message).toMatch(/Pass |Did you mean|Known options/u);
    const client = new ExecaVBoxManageClient(options);
    const results = await Promise.all([
      client.version(),
      client.listVms(),
      client.showVmInfo('web-1'),
      client.setLiveBalloon('web-1', 10),
      client.modifyVm('web-1', { largePages: false }),
      client.guestMemory(['web-1']),
      client.hostMemory(),
    ]);
    for (const r of results) expect(r._unsafeUnwrapErr()).toMatchObject({ code: 'INVALID_ARGUMENT', argument });
    expect(fake.log()).toHaveLength(0);
  });

  it.each([null, 42, 'x', [], () => 1])('the constructor never throws for options %j', (value) => {
    expect(() => new ExecaVBoxManageClient(value as never)).not.toThrow();
    expect(ExecaVBoxManageClient.create(value as never)._unsafeUnwrapErr().code).toBe('INVALID_ARGUMENT');
  });

  it('good options pass, and the client runs', async () => {
    fake = fakeWorld({ vms: [{ name: 'web-1', state: 'running' }] });
    const client = ExecaVBoxManageClient.create({
      vboxManagePath: FAKE_VBOXMANAGE,
      env: fake.env,
      timeoutMs: 2 ** 31 - 1,
      maxConcurrency: 2,
      retry: { attempts: 1, delayMs: 0 },
      metricsSettleMs: 0,
      onCommand: () => undefined,
    })._unsafeUnwrap();
    expect((await client.version())._unsafeUnwrap().major).toBe(7);
  });

  it.each([
    ['signal not a signal', { signal: 'abort' }, 'options.signal'],
    ['timeoutMs NaN', { timeoutMs: Number.NaN }, 'options.timeoutMs'],
    ['timeoutMs 2^31', { timeoutMs: 2 ** 31 }, 'options.timeoutMs'],
  ] as const)('per-call %s → INVALID_ARGUMENT naming %s, 0 runs', async (_name, bad, argument) => {
    fake = fakeWorld({ vms: [{ name: 'web-1', state: 'running' }] });
    const client = new ExecaVBoxManageClient({ vboxManagePath: FAKE_VBOXMANAGE, env: fake.env });
    for (const r of await Promise.all([client.listVms(bad as never), client.setLiveBalloon('web-1', 5, bad as never), client.guestMemory(['web-1'], bad as never)])) {
      expect(r._unsafeUnwrapErr()).toMatchObject({ code: 'INVALID_ARGUMENT', argument });
    }
    expect(fake.log()).toHaveLength(0);
  });
});
