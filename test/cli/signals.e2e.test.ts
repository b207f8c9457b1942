// Signals for one-shot commands: SIGHUP (a closed terminal, a dropped ssh session) and SIGQUIT wind down like Ctrl-C,
// and a second Ctrl-C during a rollback still says what was left and keeps the record of it for give-back.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { fakeWorld, type FakeWorld } from '../helpers/stand-in.js';
import { roomWorld } from '../controller/make-room.contract.js';
import { cliEnv, runCli, spawnCli, type CliResult } from '../helpers/cli.js';


const BIG = '00000000-0000-4000-8000-000000000004';
const balloon = (fake: FakeWorld, vm: string): number => Number(/^GuestMemoryBalloon=(\d+)$/mu.exec(fake.run('showvminfo', vm, '--machinereadable'))?.[1]);
const logged = (fake: FakeWorld, match: (argv: string[]) => boolean): number => fake.log().filter((e) => e.control !== true && match(e.argv)).length;

// Run the CLI; when `when` first holds for the stand-in's log, send it `signals`, one after the other.
async function runAndSignal(args: string[], fake: FakeWorld, when: () => boolean, signals: NodeJS.Signals[]): Promise<CliResult> {
  const child = spawnCli(args, cliEnv(fake));
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const state = { exited: false };
  void closed.then(() => (state.exited = true));
  while (!state.exited && !when()) await sleep(20);
  for (const s of signals) {
    child.kill(s);
    await sleep(50);
  }
  return { code: await closed, stdout, stderr };
}

describe('signals during one-shot commands', { timeout: 120_000 }, () => {
  for (const signal of ['SIGHUP', 'SIGQUIT'] as const) {
    it(`${signal} during start --make-room winds down like Ctrl-C: the balloons are put back`, async () => {
      const fake = fakeWorld(roomWorld);
      fake.setFaults({ delayMs: 300 });
      const dir = join(mkdtempSync(join(tmpdir(), 'signals-')), 'state');
      const r = await runAndSignal(['start', 'big', '--make-room', '--state-dir', dir], fake, () => logged(fake, (a) => a[0] === 'controlvm') >= 1, [signal]);
      expect([8, 130], r.stderr).toContain(r.code); // rolled back (8), or stopped before any change (130)
      expect(r.stderr).toMatch(/put back to 0 MB/u);
      expect([balloon(fake, 'a'), balloon(fake, 'b')]).toEqual([0, 0]);
    });
  }

  it('a second Ctrl-C during the rollback says what was left and keeps it for give-back', async () => {
    const fake = fakeWorld(roomWorld);
    fake.setFaults({ startFails: true, delayMs: 800 });
    const dir = join(mkdtempSync(join(tmpdir(), 'signals-')), 'state');
    // startvm fails; as the rollback starts (its first call takes 0.8 s), Ctrl-C twice.
    const r = await runAndSignal(['start', 'big', '--make-room', '--state-dir', dir], fake, () => logged(fake, (a) => a[0] === 'startvm') >= 1, ['SIGINT', 'SIGINT']);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/stopped at once during the start of big; these balloons were inflated for it and not put back/u);
    expect(r.stderr).toContain('a 0 -> 3174 MB'); // a keeps 10 % of its RAM (issue 23)
    const files = readdirSync(dir).filter((f) => f.startsWith('room-'));
    expect(files).toEqual([`room-${BIG}.json`]);
    const kept = JSON.parse(readFileSync(join(dir, files[0] ?? ''), 'utf8')) as { record: { taken: { vm: string; toMb: number }[] } };
    expect(kept.record.taken.map((t) => t.vm)).toContain('a');
    // What was left is given back from the record.
    fake.setFaults({});
    const back = await runCli(['give-back', 'big', '--state-dir', dir], cliEnv(fake));
    expect(back.code, back.stderr).toBe(0);
    expect([balloon(fake, 'a'), balloon(fake, 'b')]).toEqual([0, 0]);
  });
});
