// Room records across processes: a second start before give-back keeps both records (give-back returns what every
// start took), a damaged record is named with its file and the record exit code, and the state directory is private.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeWorld, type FakeWorld } from '../helpers/stand-in.js';
import { roomWorld } from '../controller/make-room.contract.js';
import { cliEnv, runCli, runCliIn } from '../helpers/cli.js';


const BIG = '00000000-0000-4000-8000-000000000004';
// The world of the make-room contract, plus a VM that uses up the memory big frees when it stops.
const world = (): FakeWorld => fakeWorld({ ...roomWorld, vms: [...roomWorld.vms, { name: 'other', state: 'poweroff', memoryMb: 4096 }] });
const balloons = (fake: FakeWorld): Record<string, number> =>
  Object.fromEntries(['a', 'b', 'tight', 'other'].map((vm) => [vm, Number(/^GuestMemoryBalloon=(\d+)$/mu.exec(fake.run('showvminfo', vm, '--machinereadable'))?.[1])]));
const privateDir = (): string => join(mkdtempSync(join(tmpdir(), 'room-rec-')), 'state');

describe('room records', { timeout: 90_000 }, () => {
  it('a second start before give-back keeps the first record; give-back returns what both took', async () => {
    const fake = world();
    const dir = privateDir();
    expect((await runCli(['start', 'big', '--make-room', '--state-dir', dir], cliEnv(fake))).code).toBe(0);
    fake.run('controlvm', 'big', 'poweroff');
    fake.run('startvm', 'other', '--type', 'headless'); // takes the memory big gave back when it stopped
    const first = balloons(fake);
    const again = await runCli(['start', 'big', '--make-room', '--state-dir', dir], cliEnv(fake));
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already had a record[\s\S]*kept too/u);
    expect(readdirSync(dir).sort()).toEqual([`room-${BIG}.2.json`, `room-${BIG}.json`]);
    const second = balloons(fake);
    expect(Object.entries(second).some(([vm, mb]) => mb > (first[vm] ?? 0))).toBe(true);
    fake.run('controlvm', 'big', 'poweroff');

    const dry = await runCli(['give-back', 'big', '--state-dir', dir, '--dry-run', '--json'], cliEnv(fake));
    expect(dry.code).toBe(0);
    const planned = JSON.parse(dry.stdout) as { changes: { vm: string; toMb: number }[]; skipped: unknown[]; recordFiles: string[] };
    expect(planned.skipped).toEqual([]);
    expect(planned.changes.every((c) => c.toMb === 0)).toBe(true);
    expect(planned.recordFiles).toHaveLength(2);

    const back = await runCli(['give-back', 'big', '--state-dir', dir], cliEnv(fake));
    expect(back.code).toBe(0);
    expect(back.stderr).toMatch(/started with room 2 times/u);
    expect(balloons(fake)).toEqual({ a: 0, b: 0, tight: 0, other: 0 });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a damaged record is named, said to be damaged, and exits 1 like a missing one, in CLI words', async () => {
    const fake = fakeWorld({ vms: [{ name: 'big', state: 'poweroff', uuid: BIG }] });
    for (const [content, why] of [
      ['[]', /holds no record object/u],
      ['{"host":"local"}', /"record" is missing/u],
      [`{"host":"local","record":{"vm":"big","uuid":"${BIG}","taken":"x"}}`, /"taken" is not a list/u],
      [`{"host":"local","record":{"vm":"big","uuid":"${BIG}","taken":[{"vm":"a"}]}}`, /entry 1 of "taken"/u],
      ['{not json', /not valid JSON/u],
    ] as [string, RegExp][]) {
      const dir = privateDir();
      mkdirSync(dir, { mode: 0o700 });
      const file = join(dir, `room-${BIG}.json`);
      writeFileSync(file, content, { mode: 0o600 });
      const r = await runCli(['give-back', 'big', '--state-dir', dir], cliEnv(fake));
      expect(r.code, content).toBe(1);
      expect(r.stderr, content).toContain(`the record ${file} is damaged`);
      expect(r.stderr, content).toMatch(why);
      expect(r.stderr, content).not.toMatch(/giveBack|startWithRoom|INVALID_ARGUMENT|target/u);
      const j = await runCli(['give-back', 'big', '--state-dir', dir, '--json'], cliEnv(fake));
      expect(JSON.parse(j.stdout), content).toMatchObject({ error: { code: 'DAMAGED_RECORD' } });
    }
    expect(fake.log().filter((e) => e.control !== true && e.argv[0] === 'controlvm')).toEqual([]);
  });

  it('the state directory must be private: not group- or world-writable, not a link; records never follow a link', async () => {
    const fake = fakeWorld({ vms: [{ name: 'big', state: 'poweroff', uuid: BIG }] });
    const open = privateDir();
    mkdirSync(open, { mode: 0o700 });
    chmodSync(open, 0o777);
    const r = await runCli(['give-back', 'big', '--state-dir', open], cliEnv(fake));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/can be written by other users \(mode 777\)/u);
    const link = join(mkdtempSync(join(tmpdir(), 'room-link-')), 'state');
    const real = privateDir();
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, link);
    expect((await runCli(['give-back', 'big', '--state-dir', link], cliEnv(fake))).stderr).toMatch(/is a symbolic link/u);
    // A planted link at the record's name is not read through.
    const dir = privateDir();
    mkdirSync(dir, { mode: 0o700 });
    const target = join(dir, '..', 'elsewhere.json');
    writeFileSync(target, `{"host":"local","record":{"vm":"big","uuid":"${BIG}","taken":[]}}`);
    symlinkSync(target, join(dir, `room-${BIG}.json`));
    expect((await runCli(['give-back', 'big', '--state-dir', dir], cliEnv(fake))).stderr).toMatch(/symbolic link/u);
  });

  it('a relative XDG_STATE_HOME is ignored: the records go under HOME', async () => {
    const fake = fakeWorld(roomWorld);
    const home = mkdtempSync(join(tmpdir(), 'room-home-'));
    const cwd = mkdtempSync(join(tmpdir(), 'room-cwd-'));
    const r = await runCliIn(['start', 'big', '--make-room'], cliEnv(fake, { HOME: home, XDG_STATE_HOME: 'relative/state' }), cwd);
    expect(r.code).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    const file = join(home, '.local', 'state', 'vbox-balloon', `room-${BIG}.json`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ record: { uuid: BIG } });
  });
});
