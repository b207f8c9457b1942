// Fault tests for every abort window and for a grandchild that keeps stdout open, through the real client and the
// VBoxManage stand-in, with /proc checked for leftovers. No case measures time: each one sets up a wait that only
// the behaviour under test can end (a hang, a retry wait or a holder of ten minutes), so a regression hangs the case
// and its time limit reports it. How promptly an abort is answered is measured by `npm run bench`.
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandEvent } from '../../src/index.js';
import { fakeClient, fakeWorld, leftoverProcesses, type FakeWorld } from '../helpers/stand-in.js';

const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) [ZX]/u.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const pidsIn = (file: string): number[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : []);

let current: FakeWorld | undefined;
afterEach(async () => {
  const fake = current;
  current = undefined;
  if (fake === undefined) return;
  // Holders left on purpose by `exitHolding` are this test's own to stop.
  for (const pid of pidsIn(`${fake.statePath}.holders`)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  const left = (): number[] => [...leftoverProcesses(fake.statePath), ...pidsIn(`${fake.statePath}.pids`).filter(alive)];
  for (let i = 0; i < 100 && left().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(left()).toEqual([]);
});

function setup(faults: Record<string, unknown>, options: Parameters<typeof fakeClient>[1] = {}) {
  const fake = fakeWorld({
    vms: [
      { name: 'web-1', state: 'running', memoryMb: 4096 },
      { name: 'db-1', state: 'poweroff', memoryMb: 2048 },
    ],
  });
  current = fake;
  fake.setFaults(faults);
  const events: CommandEvent[] = [];
  return { fake, events, client: fakeClient(fake, options, events) };
}

const ran = (fake: FakeWorld, cmd: string): number => fake.log().filter((l) => l.argv[0] === cmd).length;
/** Longer than any case may run: a wait of this length ends only by what the case is about. */
const FOREVER_MS = 600_000;
/** Resolves once `ready()` is true: a signal from the stand-in or the client, never a guessed delay. */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((r) => setTimeout(r, 10));
}
/** The stand-in writes its pid (and its child's) when it starts to hang: `n` hanging processes so far. */
const hanging = (fake: FakeWorld, n = 1) => (): boolean => pidsIn(`${fake.statePath}.pids`).length >= 2 * n;
/** Start a call, abort it once `ready()` is true (at once without one), and return what it settled to. */
async function abortedWhen<T>(start: (signal: AbortSignal) => PromiseLike<T>, ready: () => boolean = () => true): Promise<T> {
  const ac = new AbortController();
  const p = start(ac.signal);
  await until(ready);
  ac.abort();
  return p;
}

describe('an abort settles the call promptly in every window', () => {
  it('while the process runs: killed, ABORTED (it hangs for ever, so only the abort can end it)', async () => {
    const { client, fake } = setup({ hang: ['list vms'] }, { timeoutMs: FOREVER_MS });
    const value = await abortedWhen((signal) => client.listVms({ signal }), hanging(fake));
    expect(value._unsafeUnwrapErr()).toMatchObject({ code: 'ABORTED', outcome: 'not-applied', argv: ['list', 'vms'] });
  });

  it('in the same tick as the call: no Ok after the call, nothing left running', async () => {
    const { client, fake } = setup({ delayMs: FOREVER_MS }, { timeoutMs: FOREVER_MS });
    const value = await abortedWhen((signal) => client.listVms({ signal }));
    expect(value._unsafeUnwrapErr().code).toBe('ABORTED');
    expect(fake.log()).toHaveLength(0); // a process killed before it answered logs nothing
  });

  it('while waiting for a process slot: given up at once, never run', async () => {
    const { client, fake } = setup({ hang: ['list runningvms'] }, { maxConcurrency: 1, timeoutMs: FOREVER_MS });
    const blocker = new AbortController();
    const first = client.listRunningVms({ signal: blocker.signal });
    await until(hanging(fake)); // the one slot is taken for ever
    const value = await abortedWhen((signal) => client.showVmInfo('web-1', { signal }));
    expect(value._unsafeUnwrapErr()).toMatchObject({ code: 'ABORTED', outcome: 'not-applied' });
    blocker.abort();
    expect((await first)._unsafeUnwrapErr().code).toBe('ABORTED');
    expect(ran(fake, 'showvminfo')).toBe(0);
  });

  it('while queued behind another change to the same VM: given up at once, the change never runs', async () => {
    const { client, fake } = setup({ hang: ['controlvm'] }, { timeoutMs: FOREVER_MS });
    const blocker = new AbortController();
    const first = client.setLiveBalloon('web-1', 100, { signal: blocker.signal });
    await until(hanging(fake)); // the first change holds the VM for ever
    const value = await abortedWhen((signal) => client.setLiveBalloon('web-1', 200, { signal }));
    expect(value._unsafeUnwrapErr()).toMatchObject({ code: 'ABORTED', outcome: 'not-applied' });
    expect(value._unsafeUnwrapErr().message).toMatch(/Nothing was changed/u);
    blocker.abort();
    const e = (await first)._unsafeUnwrapErr();
    // The change that was running when it was aborted may have been applied: the error says so, with its argv.
    expect(e).toMatchObject({ code: 'ABORTED', outcome: 'unknown', argv: ['controlvm', 'web-1', 'guestmemoryballoon', '100'] });
    expect(e.message).toMatch(/may or may not have been applied; call inspect to see/u);
    expect(e.message).not.toMatch(/nothing was run/iu);
    // Only the first controlvm was ever started (the hung one is killed before it logs).
    expect(ran(fake, 'controlvm')).toBe(0);
  });

  it('during the retry wait (ten minutes, so only the abort can end it): no further try', async () => {
    const { client, events } = setup({ lockErrors: { modifyvm: 5 } }, { retry: { attempts: 3, delayMs: FOREVER_MS } });
    // The retry wait begins after the locked modifyvm and the showvminfo that asks whether the VM runs.
    const value = await abortedWhen((signal) => client.setDefaultBalloon('db-1', 64, { signal }), () => events.some((e) => e.argv[0] === 'showvminfo'));
    expect(value._unsafeUnwrapErr()).toMatchObject({ code: 'ABORTED', outcome: 'not-applied' });
    expect(events.filter((e) => e.argv[0] === 'modifyvm')).toHaveLength(1);
  });
});

describe('timeoutMs bounds the call', () => {
  it('even when a grandchild in its own session keeps stdout open; the whole tree is killed', async () => {
    // Long enough for the stand-in to start its grandchild on a loaded machine before the timeout fires.
    // The grandchild holds stdout for ever: a client that waited for stdout to close would never return.
    const { client, fake } = setup({ hangHolding: ['showvminfo'] }, { timeoutMs: 2500 });
    const e = (await client.showVmInfo('web-1'))._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'TIMEOUT', outcome: 'not-applied', timeoutMs: 2500 });
    expect(pidsIn(`${fake.statePath}.pids`)).toHaveLength(2); // the stand-in and its setsid grandchild, both checked in afterEach
  });

  it('a timed-out change says its outcome is unknown, carries the argv, and is never retried', async () => {
    const { client, events } = setup({ hangHolding: ['modifyvm'] }, { timeoutMs: 400 });
    const e = (await client.setDefaultBalloon('db-1', 64))._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'TIMEOUT', outcome: 'unknown', argv: ['modifyvm', 'db-1', '--guestmemoryballoon', '64'] });
    expect(e.message).toMatch(/may or may not have been applied; call inspect to see/u);
    expect(events).toHaveLength(1);
  });

  it('an answer is taken when VBoxManage exits, though a daemon it started still holds stdout', async () => {
    // The holder lives ten minutes (afterEach kills it) and the time limit is as long: an Ok means the exit was taken.
    const { client } = setup({ exitHolding: ['list vms'], holdMs: FOREVER_MS }, { timeoutMs: FOREVER_MS });
    const vms = (await client.listVms())._unsafeUnwrap();
    expect(vms.map((v) => v.name)).toEqual(['web-1', 'db-1']);
  });
});

describe('the client bounds what it reads', () => {
  it('more than 16 MB of output is a clear VBOXMANAGE_FAILED, and the process is killed', async () => {
    const { client } = setup({ flood: ['list vms'] });
    const e = (await client.listVms())._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'VBOXMANAGE_FAILED', outcome: 'not-applied' });
    expect(e.message).toMatch(/more than 16 MB/u);
  });
});

describe('a settings change on a running VM (issue 8 item 6)', () => {
  it.each([
    ['setDefaultBalloon', (c: ReturnType<typeof setup>['client']) => c.setDefaultBalloon('web-1', 64)],
    ['setLargePages', (c: ReturnType<typeof setup>['client']) => c.setLargePages('web-1', false)],
    ['modifyVm', (c: ReturnType<typeof setup>['client']) => c.modifyVm('web-1', { defaultBalloonMb: 64, largePages: false })],
  ] as const)('%s: no 3 retries, no "usually brief": the VM must be powered off', async (_name, call) => {
    // A retry would wait ten minutes first: the case ends only if there is none.
    const { client, fake } = setup({}, { retry: { attempts: 3, delayMs: FOREVER_MS } });
    const e = (await call(client))._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'INVALID_VM_STATE', state: 'running', operation: 'settings change' });
    expect(e.message).toMatch(/power the VM off first/u);
    expect(e.message).not.toMatch(/usually brief/u);
    expect(ran(fake, 'modifyvm')).toBe(1);
  });

  it('a brief lock by another session on a VM that is off is still retried', async () => {
    const { client, fake } = setup({ lockErrors: { modifyvm: 1 } }, { retry: { attempts: 3, delayMs: 10 } });
    expect((await client.setDefaultBalloon('db-1', 64)).isOk()).toBe(true);
    expect(ran(fake, 'modifyvm')).toBe(2);
  });
});
