// Two `start --make-room` on one host at the same time (two CI jobs): they take turns through a lock in the state
// directory, so the second plans from what the first left, and neither's rollback touches the other's balloons.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeWorld, type FakeWorld } from '../helpers/stand-in.js';
import { roomWorld } from '../controller/make-room.contract.js';
import { lockName } from '../../src/cli/host-lock.js';
import { cliEnv, runCli } from '../helpers/cli.js';


// The make-room contract's world and a second VM that, once big runs, needs room of its own.
const world = (): FakeWorld => fakeWorld({ ...roomWorld, vms: [...roomWorld.vms, { name: 'other', state: 'poweroff', memoryMb: 4096 }] });
const show = (fake: FakeWorld, vm: string): { state: string; balloon: number } => {
  const text = fake.run('showvminfo', vm, '--machinereadable');
  return { state: /^VMState="(.*)"$/mu.exec(text)?.[1] ?? '?', balloon: Number(/^GuestMemoryBalloon=(\d+)$/mu.exec(text)?.[1]) };
};
interface Stored { record: { vm: string; taken: { vm: string; toMb: number }[] } }

describe('concurrent starts with room on one host', { timeout: 120_000 }, () => {
  it('two processes started together take turns: both start, and every record still matches the balloons', async () => {
    const fake = world();
    fake.setFaults({ delayMs: 150 }); // every VBoxManage call takes a while, so that the two runs overlap
    const dir = join(mkdtempSync(join(tmpdir(), 'turns-')), 'state');
    const [big, other] = await Promise.all([
      runCli(['start', 'big', '--make-room', '--state-dir', dir], cliEnv(fake)),
      runCli(['start', 'other', '--make-room', '--state-dir', dir], cliEnv(fake)),
    ]);
    expect([big.code, other.code], big.stderr + other.stderr).toEqual([0, 0]);
    expect(show(fake, 'big').state).toBe('running');
    expect(show(fake, 'other').state).toBe('running');
    // One of them waited for the other, and said so.
    const waited = [big.stderr, other.stderr].filter((e) => /waiting for another vbox-balloon start on this host \(pid \d+\)/u.test(e));
    expect(waited).toHaveLength(1);
    // Each record lists balloons that are still where its start set them (or above, set by the later start).
    const records = readdirSync(dir).filter((f) => f.startsWith('room-')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Stored);
    expect(records.map((r) => r.record.vm).sort()).toEqual(['big', 'other']);
    for (const r of records) for (const t of r.record.taken) expect(show(fake, t.vm).balloon, `${r.record.vm}: ${t.vm}`).toBeGreaterThanOrEqual(t.toMb);
    expect(readdirSync(dir).filter((f) => f.startsWith('lock-'))).toEqual([]); // released
  });

  it('a lock left by a process that is gone is taken over; one held by a live process times out with its pid, changing nothing', async () => {
    const fake = world();
    const dir = join(mkdtempSync(join(tmpdir(), 'turns-')), 'state');
    mkdirSync(dir, { mode: 0o700 });
    const lock = join(dir, lockName('local'));
    writeFileSync(lock, `${JSON.stringify({ pid: 2 ** 22 + 7, started: null, command: 'start', host: 'local' })}\n`, { mode: 0o600 });
    const r = await runCli(['start', 'big', '--make-room', '--state-dir', dir], cliEnv(fake));
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('lock-'))).toEqual([]);

    fake.run('controlvm', 'big', 'poweroff');
    writeFileSync(lock, `${JSON.stringify({ pid: process.pid, started: null, command: 'give-back', host: 'local' })}\n`, { mode: 0o600 });
    const before = fake.log().length;
    const held = await runCli(['give-back', 'big', '--state-dir', dir, '--lock-timeout', '1s', '--json'], cliEnv(fake));
    expect(held.code).toBe(5);
    expect(held.stderr).toContain(`waiting for another vbox-balloon give-back on this host (pid ${process.pid})`);
    expect(held.stderr).toMatch(new RegExp(`still holds .* nothing was changed[\\s\\S]*kill ${process.pid}`, 'u'));
    expect(JSON.parse(held.stdout)).toMatchObject({ error: { code: 'LOCK_TIMEOUT' } });
    expect(fake.log().slice(before).filter((e) => e.control !== true)).toEqual([]);
    expect(readFileSync(lock, 'utf8')).toContain(`"pid":${process.pid}`); // not ours to remove
  });
});
