// `start --make-room` and `give-back`: the built CLI against the VBoxManage stand-in, with a private state directory.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeWorld, type FakeWorld } from '../helpers/stand-in.js';
import { cliEnv, runCliInProcess as cli } from '../helpers/cli.js';
import { roomWorld } from '../controller/make-room.contract.js';


// As in the SDK's make-room contract: 819 MB of headroom, "big" needs 4224 MB, "a" gives 3328 and "b" 77.
const full = (): FakeWorld => fakeWorld(roomWorld);
const changes = (fake: FakeWorld): string[][] => fake.log().filter((e) => e.control !== true && (e.argv[0] === 'controlvm' || e.argv[0] === 'startvm')).map((e) => e.argv);
const BIG = '00000000-0000-4000-8000-000000000004';
const stateOf = (fake: FakeWorld, vm: string): string => /^VMState="(.*)"$/mu.exec(fake.run('showvminfo', vm, '--machinereadable'))?.[1] ?? '?';

// Each case runs the built CLI several times, each a node process and a few stand-in runs: 90 s on a loaded machine.
describe('vbox-balloon start --make-room and give-back', { timeout: 90_000 }, () => {
  it('--dry-run prints the plan and what it would run, and changes nothing', async () => {
    const fake = full();
    const r = await cli(['start', 'big', '--make-room', '--keep-free-percent', '0', '--dry-run'], cliEnv(fake));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('big needs 4224 MB: 4096 MB of RAM and 128 MB of VirtualBox overhead');
    expect(r.stdout).toContain('a gives 3328 MB (it has 3584 MB free; balloon 0 -> 3328 MB).');
    expect(r.stdout).toContain(`Would run (dry run, nothing changed):\n  VBoxManage controlvm 00000000-0000-4000-8000-000000000001 guestmemoryballoon 3328`);
    expect(r.stdout).toContain(`VBoxManage startvm ${BIG} --type headless`);
    expect(changes(fake)).toEqual([]);
  });

  it('starts with room, keeps the record, and give-back after the stop deflates and forgets it', async () => {
    const fake = full();
    const dir = mkdtempSync(join(tmpdir(), 'room-state-'));
    const r = await cli(['start', 'big', '--make-room', '--keep-free-percent', '0', '--state-dir', dir], cliEnv(fake));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Started big (running) after inflating 2 balloons; 'vbox-balloon give-back big' once it stops.");
    expect(changes(fake).map((a) => a[0])).toEqual(['controlvm', 'controlvm', 'startvm']);
    expect(stateOf(fake, 'big')).toBe('running');
    const file = join(dir, `room-${BIG}.json`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ host: 'local', record: { vm: 'big', uuid: BIG, taken: [{ vm: 'a', fromMb: 0, toMb: 3328 }, { vm: 'b', fromMb: 0, toMb: 77 }] } });

    const early = await cli(['give-back', 'big', '--state-dir', dir], cliEnv(fake));
    expect(early.code).toBe(3);
    expect(early.stderr).toMatch(/It still runs[\s\S]*force/u);
    expect(changes(fake)).toHaveLength(3);

    fake.run('controlvm', 'big', 'poweroff');
    const dry = await cli(['give-back', 'big', '--state-dir', dir, '--dry-run'], cliEnv(fake));
    expect(dry.stdout).toBe('a: live balloon 3328 MB -> 0 MB (dry run)\nb: live balloon 77 MB -> 0 MB (dry run)\n');
    expect(existsSync(file)).toBe(true);
    const back = await cli(['give-back', 'big', '--state-dir', dir], cliEnv(fake));
    expect(back).toMatchObject({ code: 0, stdout: 'a: live balloon 3328 MB -> 0 MB\nb: live balloon 77 MB -> 0 MB\n' });
    expect(readdirSync(dir)).toEqual([]);
    const again = await cli(['give-back', 'big', '--state-dir', dir, '--json'], cliEnv(fake));
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'NO_RECORD', message: expect.stringMatching(/no record/u) as unknown } });
  });

  it('a balloon set since is left alone by give-back', async () => {
    const fake = full();
    const dir = mkdtempSync(join(tmpdir(), 'room-state-'));
    expect((await cli(['start', 'big', '--make-room', '--keep-free-percent', '0', '--state-dir', dir, '--quiet'], cliEnv(fake))).code).toBe(0);
    expect((await cli(['set', 'b', '500M'], cliEnv(fake))).code).toBe(0);
    fake.run('controlvm', 'big', 'poweroff');
    const back = await cli(['give-back', 'big', '--state-dir', dir], cliEnv(fake));
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('a: live balloon 3328 MB -> 0 MB');
    expect(back.stdout).toContain('left alone: b: its balloon was changed since (it asks for 500 MB, the room set 77 MB)');
  });

  it('a start that cannot fit is exit 3 with how much is missing, and changes nothing', async () => {
    const fake = full();
    const r = await cli(['start', 'huge', '--make-room', '--keep-free-percent', '0'], cliEnv(fake));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Cannot make room to start VM 'huge'[\s\S]*5113 MB are missing/u);
    expect(changes(fake)).toEqual([]);
    const j = await cli(['start', 'huge', '--make-room', '--keep-free-percent', '0', '--json'], cliEnv(fake));
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: 'NO_ROOM', missingMb: 5113 } });
  });

  it('a failed startvm puts the balloons back: exit 8, and the error says so', async () => {
    const fake = full();
    fake.setFaults({ startFails: true });
    const r = await cli(['start', 'big', '--make-room', '--keep-free-percent', '0'], cliEnv(fake));
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/terminated unexpectedly during startup[\s\S]*put back to 0 MB/u);
    expect(changes(fake).map((a) => [a[0], a[3]])).toEqual([['controlvm', '3328'], ['controlvm', '77'], ['startvm', 'headless'], ['controlvm', '0'], ['controlvm', '0']]);
  });

  it('a plain start, and usage errors that run nothing', async () => {
    const fake = fakeWorld({ vms: [{ name: 'vm', state: 'poweroff' }] });
    for (const [args, message] of [
      [['start'], /missing VM/u],
      [['start', 'vm', '--dry-run'], /--dry-run only applies with --make-room/u],
      [['start', 'vm', '--type', 'window'], /--type "window" is not a start type/u],
      [['start', 'vm', '--make-room', '--keep-free', 'lots'], /--keep-free "lots"/u],
      [['start', 'vm', '--make-room', '--keep-free-percent', '95'], /--keep-free-percent "95" is above 90; use e.g. 20/u],
      [["start", "vm", "--make-room", "--budget", "150%"], /--budget "150%"/u],
      [['give-back'], /missing VM/u],
    ] as [string[], RegExp][]) {
      const r = await cli(args, cliEnv(fake));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect(fake.log().filter((e) => e.control !== true)).toEqual([]);
    const ok = await cli(['start', 'vm', '--type', 'headless'], cliEnv(fake));
    expect(ok).toMatchObject({ code: 0, stdout: 'Started vm.\n' });
    expect(stateOf(fake, 'vm')).toBe('running');
  });
});
