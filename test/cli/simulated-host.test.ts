// Regression: issue 20 item 6. The simulated host behind --simulate remembers between runs: a balloon set in one run
// is there in the next, give-back finds the record of a start made room for (in the simulated host's own folder,
// never among the real host's records), time moves on between runs, and `simulate reset` starts over.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSimulatedHost, MAX_CATCH_UP_MS, saveSimulatedHost } from '../../src/cli/simulated-host.js';
import { newStateDir, runCliInProcess as runInProcess } from '../helpers/cli.js';

interface StatusJson {
  readonly name: string;
  readonly state: string;
  readonly balloon: { readonly requestedMb: number; readonly actualMb: number | null };
}

async function status(dir: string, vm: string): Promise<StatusJson> {
  const r = await runInProcess(['status', vm, '--simulate', '--json'], { VBOX_BALLOON_STATE_DIR: dir });
  expect(r.code).toBe(0);
  const [s] = JSON.parse(r.stdout) as StatusJson[];
  if (s === undefined) throw new Error('no status');
  return s;
}

describe('--simulate remembers', () => {
  it('a balloon set in one run is there in the next; simulate reset starts over', { timeout: 30_000 }, async () => {
    const dir = newStateDir();
    const env = { VBOX_BALLOON_STATE_DIR: dir };
    expect((await runInProcess(['set', 'web-1', '1G', '--wait', '--simulate'], env)).code).toBe(0);
    // The wait ends within its tolerance (16 MB) of the target; the next run finds at least that.
    const after = await status(dir, 'web-1');
    expect(after.balloon.requestedMb).toBe(1024);
    expect(after.balloon.actualMb).toBeGreaterThanOrEqual(1024 - 16);
    const file = join(dir, 'simulated', 'host.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'simulated')).mode & 0o777).toBe(0o700);
    const restored = await runInProcess(['restore', '--simulate'], env);
    expect(restored.stdout).toContain('web-1: live balloon 1024 MB -> 0 MB');
    expect((await runInProcess(['set', 'web-1', '2G', '--simulate'], env)).code).toBe(0);
    const reset = await runInProcess(['simulate', 'reset'], env);
    expect(reset.code).toBe(0);
    expect(existsSync(file)).toBe(false);
    expect(await status(dir, 'web-1')).toMatchObject({ balloon: { requestedMb: 0 } });
  });

  // The start waits for the simulated balloons in real time (a few seconds): the limit only catches a hang.
  it('start --make-room, then give-back: the record is the simulated host\'s, and giving back works', { timeout: 30_000 }, async () => {
    const dir = newStateDir();
    const env = { VBOX_BALLOON_STATE_DIR: dir };
    const started = await runInProcess(['start', 'spare-1', '--make-room', '--simulate'], env);
    expect(started.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('room-'))).toEqual([]);
    expect(readdirSync(join(dir, 'simulated')).filter((f) => f.startsWith('room-'))).toHaveLength(1);
    // Still running: give-back refuses (and names the CLI flag), as on a real host.
    const early = await runInProcess(['give-back', 'spare-1', '--simulate'], env);
    expect(early.code).toBe(3);
    expect(early.stderr).toContain('--force');
    const back = await runInProcess(['give-back', 'spare-1', '--force', '--simulate'], env);
    expect(back.stderr + back.stdout).not.toMatch(/changed since/u);
    expect(back.code).toBe(0);
    expect(readdirSync(join(dir, 'simulated')).filter((f) => f.startsWith('room-'))).toEqual([]);
  });

  it('time moves on between runs (capped): a balloon that was still inflating has arrived', async () => {
    const dir = newStateDir();
    const first = loadSimulatedHost(dir, 1_000_000);
    if (!('client' in first)) throw new Error(first.problem);
    expect(first.fresh).toBe(true);
    (await first.client.setLiveBalloon('web-1', 2048))._unsafeUnwrap();
    first.client.advanceTime(1000); // 512 MB/s: halfway there
    expect(first.client.guestState('web-1').balloonMb).toBe(512);
    expect(saveSimulatedHost(dir, first.client, 1_000_000)).toBeNull();
    const soon = loadSimulatedHost(dir, 1_001_000);
    if (!('client' in soon)) throw new Error(soon.problem);
    expect(soon.client.guestState('web-1')).toMatchObject({ requestedMb: 2048, balloonMb: 1024 });
    const later = loadSimulatedHost(dir, 1_000_000 + 10 * MAX_CATCH_UP_MS);
    if (!('client' in later)) throw new Error(later.problem);
    expect(later.client.time).toBe(MAX_CATCH_UP_MS);
    expect(later.client.guestState('web-1').balloonMb).toBe(2048);
  });

  it('a damaged file is said and set aside: the host starts over', () => {
    const dir = newStateDir();
    const first = loadSimulatedHost(dir);
    if (!('client' in first)) throw new Error(first.problem);
    expect(saveSimulatedHost(dir, first.client)).toBeNull();
    const file = join(dir, 'simulated', 'host.json');
    writeFileSync(file, '{"savedAt": "yesterday"}');
    const again = loadSimulatedHost(dir);
    if (!('client' in again)) throw new Error(again.problem);
    expect(again.fresh).toBe(true);
    expect(again.problem).toMatch(/damaged .*savedAt/u);
    expect(readFileSync(file, 'utf8')).toContain('yesterday');
  });

  it('status and host say it is the simulated host', async () => {
    const env = { VBOX_BALLOON_STATE_DIR: newStateDir() };
    expect((await runInProcess(['status', '--simulate'], env)).stdout).toMatch(/simulated host/iu);
    expect((await runInProcess(['host', '--simulate'], env)).stdout).toMatch(/simulated host/iu);
  });
});
