import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyFailure, ExecaVBoxManageClient, type CommandEvent } from '../../src/index.js';
import { fakeClient, fakeWorld, leftoverProcesses, type FakeWorld } from '../helpers/stand-in.js';

const world = () =>
  fakeWorld({
    vms: [
      { name: 'web-1', state: 'running', memoryMb: 4096 },
      { name: 'db-1', state: 'poweroff', memoryMb: 2048 },
    ],
  });

// A killed process may linger as a zombie until it is reaped; it runs nothing, so it counts as dead.
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) [ZX]/u.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

async function noneLeft(fake: FakeWorld): Promise<void> {
  // Killed processes are reaped asynchronously; give the kernel a moment.
  const pidsFile = `${fake.statePath}.pids`;
  const started = existsSync(pidsFile) ? readFileSync(pidsFile, 'utf8').split('\n').filter(Boolean).map(Number) : [];
  const left = (): number[] => [...leftoverProcesses(fake.statePath), ...started.filter(alive)];
  for (let i = 0; i < 50 && left().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  expect(left()).toEqual([]);
}

let current: FakeWorld | undefined;
afterEach(async () => {
  if (current !== undefined) await noneLeft(current);
  current = undefined;
});

function setup(faults: Record<string, unknown> = {}, options: ConstructorParameters<typeof ExecaVBoxManageClient>[0] = {}) {
  const fake = world();
  current = fake;
  fake.setFaults(faults);
  const events: CommandEvent[] = [];
  return { fake, events, client: fakeClient(fake, options, events) };
}

describe('ExecaVBoxManageClient faults', () => {
  it('a hang is killed at timeoutMs, with its children, and reported as TIMEOUT naming the command', async () => {
    // Long enough for the stand-in (a node process) to start and write its pids on a loaded machine.
    const { client, fake } = setup({ hang: ['showvminfo'] }, { timeoutMs: 2500 });
    const e = (await client.showVmInfo('web-1'))._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'TIMEOUT', vm: 'web-1', timeoutMs: 2500, argv: ['showvminfo', 'web-1', '--machinereadable'] });
    expect(e.message).toMatch(/showvminfo web-1 --machinereadable/u);
    expect(readFileSync(`${fake.statePath}.pids`, 'utf8').trim().split('\n')).toHaveLength(2); // VBoxManage and its child
  });

  it('a timed-out change is never retried: its outcome is unknown', async () => {
    const { client, events } = setup({ hang: ['controlvm'] }, { timeoutMs: 300 });
    expect((await client.setLiveBalloon('web-1', 10))._unsafeUnwrapErr().code).toBe('TIMEOUT');
    expect(events).toHaveLength(1);
  });

  it('an abort mid-call kills the process and returns ABORTED', async () => {
    // No time limit to speak of: only the abort can end it. Aborted once the stand-in hangs (it writes its pids).
    const { client, fake } = setup({ hang: ['list vms'] }, { timeoutMs: 600_000 });
    const ac = new AbortController();
    const pending = client.listVms({ signal: ac.signal });
    while (!existsSync(`${fake.statePath}.pids`)) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    const e = (await pending)._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'ABORTED', argv: ['list', 'vms'] });
  });

  it('lock errors for the first k calls are retried, then succeed', async () => {
    const { client, events } = setup({ lockErrors: { modifyvm: 2 } });
    expect((await client.setDefaultBalloon('db-1', 64)).isOk()).toBe(true);
    // A lock on modifyvm first asks showvminfo whether the VM runs (its own session would hold the lock).
    expect(events.filter((e) => e.argv[0] === 'modifyvm').map((e) => [e.attempt, e.exitCode])).toEqual([
      [1, 1],
      [2, 1],
      [3, 0],
    ]);
  });

  it('lock errors beyond the retry limit give VM_LOCKED after exactly `attempts` tries', async () => {
    const { client, events, fake } = setup({ lockErrors: { modifyvm: 5 } });
    const e = (await client.setDefaultBalloon('db-1', 64))._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'VM_LOCKED', transient: true, vm: 'db-1' });
    expect(events.filter((ev) => ev.argv[0] === 'modifyvm')).toHaveLength(3);
    expect(events.filter((ev) => ev.argv[0] === 'showvminfo')).toHaveLength(1);
    expect(fake.log().filter((l) => l.argv[0] === 'modifyvm')).toHaveLength(3);
  });

  it('an abort during the retry wait returns ABORTED without another try', async () => {
    // A retry wait of ten minutes, aborted once it has begun (after the locked modifyvm and the showvminfo).
    const { client, events } = setup({ lockErrors: { modifyvm: 5 } }, { retry: { attempts: 3, delayMs: 600_000 } });
    const ac = new AbortController();
    const pending = client.setDefaultBalloon('db-1', 1, { signal: ac.signal });
    while (!events.some((e) => e.argv[0] === 'showvminfo')) await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    expect((await pending)._unsafeUnwrapErr().code).toBe('ABORTED');
    expect(events.filter((e) => e.argv[0] === 'modifyvm')).toHaveLength(1);
  });

  it('permanent errors are not retried', async () => {
    const { client, events } = setup();
    expect((await client.showVmInfo('ghost'))._unsafeUnwrapErr().code).toBe('VM_NOT_FOUND');
    expect(events).toHaveLength(1);
  });

  it('garbage output is PARSE_ERROR naming the VM', async () => {
    const { client } = setup({ garbage: ['showvminfo', 'list vms', 'metrics query'] });
    expect((await client.showVmInfo('web-1'))._unsafeUnwrapErr()).toMatchObject({ code: 'PARSE_ERROR', vm: 'web-1', source: 'showvminfo' });
    expect((await client.listVms())._unsafeUnwrapErr().code).toBe('PARSE_ERROR');
    expect((await client.guestMemory(['web-1']))._unsafeUnwrapErr().code).toBe('PARSE_ERROR');
  });

  it('a crash mid-output is a failure, not half a VM', async () => {
    const { client } = setup({ crash: ['showvminfo'] });
    const e = (await client.showVmInfo('web-1'))._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'VBOXMANAGE_FAILED', exitCode: null });
  });

  it('exit 0 with an error line is a failure', async () => {
    const { client } = setup({ errorExit0: ['controlvm'] });
    const e = (await client.setLiveBalloon('web-1', 5))._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'VBOXMANAGE_FAILED', exitCode: 0, vboxCode: 'E_FAIL' });
  });

  it('reads Windows-style output: CRLF and the VBoxManage.exe prefix', async () => {
    const { client } = setup({ crlf: true, exePrefix: true });
    expect((await client.showVmInfo('web-1'))._unsafeUnwrap()).toMatchObject({ name: 'web-1', memoryMb: 4096 });
    expect((await client.showVmInfo('ghost'))._unsafeUnwrapErr().code).toBe('VM_NOT_FOUND');
    expect((await client.setLiveBalloon('web-1', 9999))._unsafeUnwrapErr().code).toBe('INVALID_BALLOON_SIZE');
  });

  it('runs VBoxManage under a fixed English UTF-8 locale, whatever the caller has', async () => {
    const saved = process.env['LC_ALL'];
    process.env['LC_ALL'] = 'ru_RU.UTF-8';
    try {
      const { client, fake } = setup();
      (await client.version())._unsafeUnwrap();
      expect(['C.UTF-8', 'C']).toContain(fake.log()[0]?.lcAll);
    } finally {
      if (saved === undefined) delete process.env['LC_ALL'];
      else process.env['LC_ALL'] = saved;
    }
  });

  it('reports every invocation to onCommand', async () => {
    const { client, events } = setup();
    (await client.listRunningVms())._unsafeUnwrap();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ argv: ['list', 'runningvms'], exitCode: 0, attempt: 1 });
    expect(events[0]?.durationMs).toBeGreaterThan(0);
  });
});

describe('finding VBoxManage', () => {
  it('a missing binary is VBOXMANAGE_NOT_FOUND listing where it looked', async () => {
    const client = new ExecaVBoxManageClient({ vboxManagePath: '/nonexistent/VBoxManage' });
    const e = (await client.version())._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'VBOXMANAGE_NOT_FOUND', searched: ['/nonexistent/VBoxManage'], source: 'option', reason: 'missing' });
    expect(e.message).toMatch(/^the vboxManagePath option names \/nonexistent\/VBoxManage, which does not exist\. Fix the vboxManagePath option/u);
  });

  it('searches PATH and the standard places when nothing is configured', async () => {
    const saved = { PATH: process.env['PATH'], VBOXMANAGE_PATH: process.env['VBOXMANAGE_PATH'] };
    const dir = mkdtempSync(join(tmpdir(), 'empty-path-'));
    process.env['PATH'] = dir;
    delete process.env['VBOXMANAGE_PATH'];
    try {
      const e = (await new ExecaVBoxManageClient().version())._unsafeUnwrapErr();
      if (e.code !== 'VBOXMANAGE_NOT_FOUND') throw new Error(e.message);
      expect(e.searched[0]).toBe(join(dir, 'VBoxManage'));
      expect(e.searched).toContain('/usr/bin/VBoxManage');
    } finally {
      process.env['PATH'] = saved.PATH;
      if (saved.VBOXMANAGE_PATH !== undefined) process.env['VBOXMANAGE_PATH'] = saved.VBOXMANAGE_PATH;
    }
  });

  it('finds VBoxManage on PATH', async () => {
    const fake = world();
    const dir = mkdtempSync(join(tmpdir(), 'path-'));
    const launcher = join(dir, 'VBoxManage');
    writeFileSync(launcher, `#!/bin/sh\nexec node ${JSON.stringify(join(process.cwd(), 'test/fixtures/fake-vboxmanage.mjs'))} "$@"\n`);
    chmodSync(launcher, 0o755);
    const saved = process.env['PATH'];
    process.env['PATH'] = `${dir}:${saved ?? ''}`;
    try {
      const client = new ExecaVBoxManageClient({ env: fake.env });
      expect((await client.version())._unsafeUnwrap().major).toBe(7);
    } finally {
      process.env['PATH'] = saved;
    }
  });

  it('VBOXMANAGE_PATH is used when no option is given', async () => {
    const saved = process.env['VBOXMANAGE_PATH'];
    process.env['VBOXMANAGE_PATH'] = '/also/missing/VBoxManage';
    try {
      const e = (await new ExecaVBoxManageClient().version())._unsafeUnwrapErr();
      expect(e).toMatchObject({ code: 'VBOXMANAGE_NOT_FOUND', searched: ['/also/missing/VBoxManage'], source: 'VBOXMANAGE_PATH' });
      expect(e.message).toMatch(/^VBOXMANAGE_PATH names \/also\/missing\/VBoxManage, which does not exist\. Fix VBOXMANAGE_PATH \(or unset it/u);
    } finally {
      if (saved === undefined) delete process.env['VBOXMANAGE_PATH'];
      else process.env['VBOXMANAGE_PATH'] = saved;
    }
  });

  it('a file that is not executable is VBOXMANAGE_NOT_FOUND saying so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'noexec-'));
    const file = join(dir, 'VBoxManage');
    writeFileSync(file, '#!/bin/sh\necho 7.0.10r1\n');
    chmodSync(file, 0o644);
    const e = (await new ExecaVBoxManageClient({ vboxManagePath: file }).version())._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'VBOXMANAGE_NOT_FOUND', reason: 'not-executable' });
    expect(e.message).toMatch(/not executable\. Make it executable \(chmod \+x\)/u);
  });

  it('a folder where the executable should be is named as a folder, with the path that fits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vbox-folder-'));
    const e = (await new ExecaVBoxManageClient({ vboxManagePath: dir }).version())._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'VBOXMANAGE_NOT_FOUND', reason: 'folder', source: 'option' });
    expect(e.message).toContain(`which is a folder, not the VBoxManage executable. Point it at the executable inside, for example ${dir}/VBoxManage.`);
  });

  it('lists each place searched once, and says VirtualBox is not installed', async () => {
    const saved = { PATH: process.env['PATH'], VBOXMANAGE_PATH: process.env['VBOXMANAGE_PATH'] };
    const dir = mkdtempSync(join(tmpdir(), 'dup-path-'));
    process.env['PATH'] = `${dir}:${dir}:/usr/bin`;
    delete process.env['VBOXMANAGE_PATH'];
    try {
      const e = (await new ExecaVBoxManageClient().version())._unsafeUnwrapErr();
      if (e.code !== 'VBOXMANAGE_NOT_FOUND') throw new Error(e.message);
      expect(new Set(e.searched).size).toBe(e.searched.length);
      expect(e).toMatchObject({ source: 'search', reason: 'not-installed' });
      expect(e.message).toMatch(/^VirtualBox's VBoxManage was not found here \(looked in: /u);
    } finally {
      process.env['PATH'] = saved.PATH;
      if (saved.VBOXMANAGE_PATH !== undefined) process.env['VBOXMANAGE_PATH'] = saved.VBOXMANAGE_PATH;
    }
  });

  it("keeps VirtualBox's own explanation of a failure in the message", () => {
    const e = classifyFailure({
      exitCode: 1,
      stdout: '',
      stderr: 'VBoxManage: error: Failed to create the VirtualBox object!\nVBoxManage: error: Code NS_ERROR_ABORT (0x80004004) - Operation aborted (extended info not available)\nVBoxManage: error: Most likely, the VirtualBox COM server is not running or failed to start.\n',
      argv: ['list', 'vms'],
    });
    expect(e.message).toContain('Most likely, the VirtualBox COM server is not running or failed to start.');
  });
});

describe('concurrency', () => {
  it('100 concurrent live changes on 10 VMs: each ends at its last value, none lost, at most maxConcurrency at once', async () => {
    const vms = Array.from({ length: 10 }, (_, i) => ({ name: `vm-${i}`, state: 'running' as const, memoryMb: 4096 }));
    const fake = fakeWorld({ vms });
    current = fake;
    fake.setFaults({ delayMs: 20 });
    const client = fakeClient(fake, { maxConcurrency: 4 });
    const calls = Array.from({ length: 100 }, (_, i) => ({ vm: `vm-${i % 10}`, size: 100 + i }));
    const results = await Promise.all(calls.map((c) => client.setLiveBalloon(c.vm, c.size)));
    expect(results.every((r) => r.isOk())).toBe(true);
    for (let v = 0; v < 10; v++) {
      expect((await client.showVmInfo(`vm-${v}`))._unsafeUnwrap().balloonMb).toBe(100 + 90 + v);
    }
    const log = fake.log().filter((l) => l.argv[0] === 'controlvm');
    expect(log).toHaveLength(100);
    // The stand-in logs each run's start and end: count the most that overlapped.
    const edges = log.flatMap((l) => [
      { t: l.start, d: 1 },
      { t: l.end, d: -1 },
    ]);
    edges.sort((a, b) => a.t - b.t || a.d - b.d);
    let now = 0;
    let most = 0;
    for (const e of edges) most = Math.max(most, (now += e.d));
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThanOrEqual(2); // the measurement can see overlap at all
  }, 60_000);

  it('changes to one VM never overlap: the stand-in would answer the second with a lock error', async () => {
    const fake = fakeWorld({ vms: [{ name: 'off', state: 'poweroff', memoryMb: 4096 }] });
    current = fake;
    fake.setFaults({ delayMs: 100 });
    const client = fakeClient(fake, { maxConcurrency: 4, retry: { attempts: 1 } });
    const results = await Promise.all([1, 2, 3, 4].map((n) => client.setDefaultBalloon('off', n * 10)));
    expect(results.map((r) => r.isOk())).toEqual([true, true, true, true]);
    expect((await client.showVmInfo('off'))._unsafeUnwrap().balloonMb).toBe(40);
  });

  // Regression: issue 20 item 13. One VM named two ways is still one VM: its changes take turns in the order given.
  it('changes to one VM by name and by UUID never overlap and land in order', async () => {
    const fake = fakeWorld({ vms: [{ name: 'off', state: 'poweroff', memoryMb: 4096 }] });
    current = fake;
    const client = fakeClient(fake, { maxConcurrency: 4, retry: { attempts: 1 } });
    const { uuid } = (await client.showVmInfo('off'))._unsafeUnwrap();
    fake.setFaults({ delayMs: 100 });
    const refs = ['off', uuid.toUpperCase(), 'off', `{${uuid}}`];
    const results = await Promise.all(refs.map((ref, i) => client.setDefaultBalloon(ref, (i + 1) * 10)));
    expect(results.map((r) => (r.isOk() ? 'ok' : r.error.code))).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect((await client.showVmInfo('off'))._unsafeUnwrap().balloonMb).toBe(40);
  });
});
