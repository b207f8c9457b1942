// Both clients check a call's arguments through the same one function (checkCall), once per call, and a VM
// reference exactly once: counted with spies on the shared check and on the VM-reference rule.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ResultAsync } from 'neverthrow';
import type { BalloonError, VBoxManageClient } from '../../src/index.js';
import { inMemory, type World } from '../helpers/backend.js';
import { fakeClient, fakeWorld } from '../helpers/stand-in.js';

const spies = vi.hoisted(() => ({ checkCall: [] as string[], vmRefs: [] as unknown[] }));

vi.mock('../../src/port/check-input.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/port/check-input.js')>();
  return {
    ...real,
    checkCall: (call: Parameters<typeof real.checkCall>[0]) => {
      spies.checkCall.push(call.method);
      return real.checkCall(call);
    },
  };
});

vi.mock('../../src/domain/vm-ref.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/domain/vm-ref.js')>();
  return {
    ...real,
    validateVmRef: (value: unknown, argument?: string) => {
      spies.vmRefs.push(value);
      return real.validateVmRef(value, argument);
    },
  };
});

const world: World = { vms: [{ name: 'web-1', state: 'running', memoryMb: 4096 }, { name: 'db-1', memoryMb: 2048 }] };

// Each call, with the VM references it names.
const calls: [string, (c: VBoxManageClient) => ResultAsync<unknown, BalloonError>, unknown[]][] = [
  ['version', (c) => c.version(), []],
  ['hostInfo', (c) => c.hostInfo(), []],
  ['listVms', (c) => c.listVms(), []],
  ['listRunningVms', (c) => c.listRunningVms(), []],
  ['hostMemory', (c) => c.hostMemory(), []],
  ['showVmInfo', (c) => c.showVmInfo('web-1'), ['web-1']],
  ['setLiveBalloon', (c) => c.setLiveBalloon('web-1', 512), ['web-1']],
  ['setDefaultBalloon', (c) => c.setDefaultBalloon('db-1', 256), ['db-1']],
  ['setLargePages', (c) => c.setLargePages('db-1', false), ['db-1']],
  ['modifyVm', (c) => c.modifyVm('db-1', { defaultBalloonMb: 128 }), ['db-1']],
  ['startVm', (c) => c.startVm('db-1'), ['db-1']],
  ['guestMemory', (c) => c.guestMemory(['web-1', 'db-1']), ['web-1', 'db-1']],
];

const clients: [string, () => VBoxManageClient][] = [
  ['in-memory', () => inMemory.make(world).client],
  ['execa', () => fakeClient(fakeWorld(world))],
];

beforeEach(() => {
  spies.checkCall.length = 0;
  spies.vmRefs.length = 0;
});

describe.each(clients)('the %s client', (_name, make) => {
  it.each(calls)('%s checks its arguments once, each VM reference once', async (_method, call, refs) => {
    const client = make();
    spies.checkCall.length = 0;
    spies.vmRefs.length = 0;
    const r = await call(client);
    expect(r.isOk()).toBe(true);
    expect(spies.checkCall).toHaveLength(1);
    expect(spies.vmRefs).toEqual(refs);
  });

  it.each(calls.filter(([, , refs]) => refs.length > 0))('%s with a hostile VM reference stops at the one check', async (method, _call, refs) => {
    const client = make();
    const bad = refs.map(() => '-bad');
    spies.checkCall.length = 0;
    spies.vmRefs.length = 0;
    const run: Record<string, () => ResultAsync<unknown, BalloonError>> = {
      showVmInfo: () => client.showVmInfo('-bad'),
      setLiveBalloon: () => client.setLiveBalloon('-bad', 512),
      setDefaultBalloon: () => client.setDefaultBalloon('-bad', 256),
      setLargePages: () => client.setLargePages('-bad', false),
      modifyVm: () => client.modifyVm('-bad', { defaultBalloonMb: 128 }),
      startVm: () => client.startVm('-bad'),
      guestMemory: () => client.guestMemory(bad),
    };
    const r = await run[method]?.();
    expect(r?._unsafeUnwrapErr().code).toBe('INVALID_ARGUMENT');
    expect(spies.checkCall).toHaveLength(1);
    // An array stops at its first bad element.
    expect(spies.vmRefs).toEqual(['-bad']);
  });
});
