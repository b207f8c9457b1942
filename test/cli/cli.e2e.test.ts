// The vbox-balloon CLI against the VBoxManage stand-in: most cases in-process through its runner with captured
// streams; the built executable as a child process where the process itself is the point (the exit code a shell
// sees, --version read from the installed package, signals, a terminal, a pipe).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fakeWorld, leftoverProcesses, type FakeWorld } from '../helpers/stand-in.js';
import { cliEnv, runCli, runCliInProcess as cli, runInTerminal, spawnCli } from '../helpers/cli.js';


const fleet = (): FakeWorld =>
  fakeWorld({
    host: { memoryMb: 16_384 },
    vms: [
      { name: 'web-1', state: 'running', memoryMb: 4096, usedMb: 1024 },
      { name: 'busy-1', state: 'running', memoryMb: 4096, usedMb: 3900 },
      { name: 'db-1', state: 'running', memoryMb: 4096, largePages: true },
      { name: 'off-1', state: 'poweroff', memoryMb: 2048, largePages: true },
    ],
  });

const calls = (fake: FakeWorld): string[][] => fake.log().map((e) => e.argv);
// The stand-in gives the n-th VM of a world the UUID 00000000-0000-4000-8000-00000000000n.
const ORDER = ['web-1', 'busy-1', 'db-1', 'off-1'];
const UUID_OF = (name: string): string => `00000000-0000-4000-8000-${(ORDER.indexOf(name) + 1).toString(16).padStart(12, '0')}`;
const ESC = String.fromCharCode(27);

describe('bad input: exit 2, a clear line, the usage, and no VBoxManage call', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown command', ['stauts'], /unknown command "stauts" \(did you mean 'status'\?\)/u],
    ['bad size', ['set', 'web-1', '12X'], /SIZE "12X" is not a size; use e\.g\. 512, 512M, 2G or 25%/u],
    ['fractional megabytes', ['set', 'web-1', '0.3G'], /not a whole number of megabytes/u],
    ['unknown flag', ['status', '--bogus'], /unknown flag --bogus/u],
    ['missing VM', ['set'], /missing VM and SIZE/u],
    ['missing SIZE', ['default', 'off-1'], /missing SIZE/u],
    ['percentage where none is taken', ['reclaim', '25%'], /percentage/u],
    ['duration without unit', ['set', 'web-1', '1G', '--wait', '--poll', '5'], /--poll "5" has no unit; use e\.g\. 5s/u],
    ['wrong policy flag', ['plan', '--policy', 'budget', '--increment', '64'], /--increment is not a flag of the budget policy/u],
    ['no policy', ['autopilot'], /missing --policy/u],
    ['bad max-ticks', ['autopilot', '--policy', 'budget', '--max-ticks', '0'], /--max-ticks "0" is not a whole number above 0/u],
    ['missing config file', ['plan', '--policy', 'balloonctrl', '--config', '/nonexistent/limits.json'], /cannot be read \(ENOENT\)/u],
  ];
  it.each(cases)('%s', async (_, args, message) => {
    const fake = fleet();
    const r = await cli(args, cliEnv(fake));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^usage: vbox-balloon /mu);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/u); // no stack
    expect(r.stdout).toBe('');
    expect(calls(fake)).toEqual([]);
  });

  it('as JSON with --json', async () => {
    const fake = fleet();
    const r = await runCli(['set', 'web-1', 'lots', '--json'], cliEnv(fake));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'USAGE', command: 'set', message: expect.stringContaining('SIZE') as unknown } });
    expect(calls(fake)).toEqual([]);
  });

  it('a bad limits file names the field (checked by the SDK validateLimits)', async () => {
    const fake = fleet();
    const file = `${fake.dir}/limits.json`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, JSON.stringify({ 'web-1': { maxBaloonMb: 10 } }));
    const r = await cli(['plan', '--policy', 'balloonctrl', '--config', file], cliEnv(fake));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('maxBaloonMb');
    expect(calls(fake)).toEqual([]);
  });
});

describe('help and version', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await runCli(['--version'], cliEnv(null));
    expect(r).toMatchObject({ code: 0, stdout: `vbox-balloon ${pkg.version}\n` });
  });

  it.each(['status', 'set', 'default', 'prepare', 'reclaim', 'restore', 'start', 'give-back', 'plan', 'autopilot', 'host'])('%s --help has usage and examples', async (cmd) => {
    const r = await cli([cmd, '--help'], cliEnv(null));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`usage: vbox-balloon ${cmd}`);
    expect(r.stdout).toMatch(/Examples:\n {2}vbox-balloon /u);
    expect(r.stdout).toContain('--json');
  });
});

describe('commands against the stand-in VBoxManage', () => {
  it('status: a table of every VM with one metrics query, and --json gives the SDK objects', async () => {
    const fake = fleet();
    const r = await cli(['status'], cliEnv(fake));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NAME +STATE +RAM +REQUESTED +ACHIEVED +GUEST FREE +MAX +BACKING +LIVE CHANGE$/mu);
    expect(r.stdout).toMatch(/^web-1 +running +4096 MB +0 MB +0 MB +3072 MB +3685 MB +4096 MB +yes$/mu);
    expect(r.stdout).toMatch(/^db-1 .* no: large pages on$/mu);
    expect(r.stdout).toMatch(/^off-1 +poweroff .* no: VM is poweroff, large pages on$/mu);
    expect(r.stdout).not.toContain(ESC);
    expect(calls(fake).filter((a) => a[0] === 'metrics' && a[1] === 'query')).toHaveLength(1);
    const j = await cli(['status', '--json'], cliEnv(fake));
    const statuses = JSON.parse(j.stdout) as { name: string; live: { allowed: boolean } }[];
    expect(statuses.map((s) => [s.name, s.live.allowed])).toEqual([['web-1', true], ['busy-1', true], ['db-1', false], ['off-1', false]]);
  });

  it('status of a VM that does not exist: exit 7 and the SDK message', async () => {
    const fake = fleet();
    const r = await cli(['status', 'nope'], cliEnv(fake));
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^error: .*'nope'/mu);
    const j = await cli(['status', 'nope', '--json'], cliEnv(fake));
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: 'VM_NOT_FOUND', vm: 'nope' } });
  });

  it('set: changes the live balloon; --json is the BalloonChange; a percentage is of the VM RAM', async () => {
    const fake = fleet();
    const r = await cli(['set', 'web-1', '1G'], cliEnv(fake));
    expect(r).toMatchObject({ code: 0, stdout: 'web-1: live balloon 0 MB -> 1024 MB\n' });
    expect(calls(fake)).toContainEqual(['controlvm', UUID_OF('web-1'), 'guestmemoryballoon', '1024']); // acted on by UUID
    const j = await cli(['set', 'web-1', '25%', '--json'], cliEnv(fake));
    expect(JSON.parse(j.stdout)).toMatchObject({ vm: 'web-1', kind: 'live', fromMb: 1024, toMb: 1024, dryRun: false });
  });

  it('set --dry-run prints the command and runs no controlvm', async () => {
    const fake = fleet();
    const r = await cli(['set', 'web-1', '512M', '--dry-run'], cliEnv(fake));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('would change live balloon 0 MB -> 512 MB (dry run, nothing changed)');
    expect(r.stdout).toContain(`VBoxManage controlvm ${UUID_OF('web-1')} guestmemoryballoon 512`);
    expect(calls(fake).some((a) => a[0] === 'controlvm')).toBe(false);
  });

  it('set on a blocked VM: exit 3 with every reason, nothing run', async () => {
    const fake = fleet();
    const r = await cli(['set', 'db-1', '512'], cliEnv(fake));
    expect(r.code).toBe(3);
    // One reason comes back as itself (several would be BLOCKED with every one listed).
    expect(r.stderr).toMatch(/^error: VM 'db-1' has large pages enabled/mu);
    expect(calls(fake).some((a) => a[0] === 'controlvm')).toBe(false);
    const j = await cli(['set', 'db-1', '512', '--json'], cliEnv(fake));
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: 'LARGE_PAGES_ENABLED', vm: 'db-1' } });
  });

  it('set --wait that the guest cannot reach: exit 6, the change was made, progress lines on stderr only', async () => {
    const fake = fleet();
    const r = await cli(['set', 'busy-1', '1G', '--wait', '2s', '--poll', '200ms'], cliEnv(fake));
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(/^busy-1: live balloon 0 MB -> 1024 MB; the guest reached 196 of 1024 MB in .* s; the balloon stays requested at 1024 MB\n$/u);
    expect(r.stderr).toMatch(/^busy-1: balloon 196\/1024 MB, /mu);
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).not.toContain(ESC);
    const j = await cli(['set', 'busy-1', '1G', '--wait', '1s', '--poll', '200ms', '--json'], cliEnv(fake));
    expect(j.code).toBe(6);
    expect(JSON.parse(j.stdout)).toMatchObject({ wait: { reached: false, actualMb: 196 } });
  });

  it('set --wait interrupted with Ctrl-C stops the wait, not the change, and says so', async () => {
    const fake = fleet();
    const child = spawnCli(['set', 'busy-1', '1G', '--wait', '1m', '--poll', '200ms', '--json'], cliEnv(fake));
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && stderr.includes('balloon 196/1024')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(6);
    expect(JSON.parse(stdout)).toMatchObject({ vm: 'busy-1', toMb: 1024, wait: { reached: false, ended: 'aborted', actualMb: 196 } });
    expect(stderr).toContain('Stopped waiting (interrupted): the change WAS made');
    expect(calls(fake)).toContainEqual(['controlvm', UUID_OF('busy-1'), 'guestmemoryballoon', '1024']);
  });

  it('default and prepare on a VM that is off', async () => {
    const fake = fleet();
    const refused = await cli(['default', 'web-1', '512'], cliEnv(fake));
    expect(refused.code).toBe(3);
    const p = await cli(['prepare', 'off-1', '--default', '256'], cliEnv(fake));
    expect(p).toMatchObject({ code: 0, stdout: 'off-1: large pages on -> off, default balloon 0 MB -> 256 MB\n' });
    expect(calls(fake).filter((a) => a[0] === 'modifyvm')).toEqual([['modifyvm', UUID_OF('off-1'), '--guestmemoryballoon', '256', '--largepages', 'off']]);
    const d = await cli(['default', 'off-1', '10%', '--json'], cliEnv(fake));
    expect(JSON.parse(d.stdout)).toMatchObject({ kind: 'default', fromMb: 256, toMb: 204 });
    const bad = await cli(['prepare', 'off-1', '--page-fusion', 'yes'], cliEnv(fake));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--page-fusion "yes" is not on or off');
    const f = await cli(['prepare', 'off-1', '--page-fusion', 'on'], cliEnv(fake));
    expect(f).toMatchObject({ code: 0, stdout: 'off-1: page fusion off -> on\n' });
    expect(f.stderr).toMatch(/warning: off-1: .*works only with Windows/u);
    expect(calls(fake).filter((a) => a[0] === 'modifyvm').at(-1)).toEqual(['modifyvm', UUID_OF('off-1'), '--pagefusion', 'on']);
  });

  it('reclaim: a plan table, a shortfall is exit 3 with nothing changed', async () => {
    const fake = fleet();
    const dry = await cli(['reclaim', '1G', '--dry-run'], cliEnv(fake));
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^web-1 +3072 MB +0 MB +1024 MB +1024 MB$/mu);
    expect(dry.stdout).toContain('Would reclaim 1024 MB from 1 VM (dry run, nothing changed).');
    const short = await cli(['reclaim', '64G'], cliEnv(fake));
    expect(short.code).toBe(3);
    expect(short.stderr).toMatch(/error: Cannot reclaim 65536 MB/u);
    expect(calls(fake).some((a) => a[0] === 'controlvm')).toBe(false);
    const j = await cli(['reclaim', '1G', '--from', 'web-1', '--json'], cliEnv(fake));
    expect(JSON.parse(j.stdout)).toMatchObject({ reclaimedMb: 1024, applied: [{ vm: 'web-1', toMb: 1024 }] });
  });

  it('restore deflates a live balloon and warns that the default is unknown', async () => {
    const fake = fleet();
    await cli(['set', 'web-1', '1G'], cliEnv(fake));
    const r = await cli(['restore', 'web-1'], cliEnv(fake));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('web-1: live balloon 1024 MB -> 0 MB\n');
    expect(r.stderr).toContain('warning: web-1: its default balloon is unknown');
    const q = await cli(['restore', '--quiet'], cliEnv(fake));
    expect(q).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('host: supported on Linux (exit 0), refused on macOS (exit 3)', async () => {
    const fake = fleet();
    const r = await cli(['host'], cliEnv(fake));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Ballooning: +supported$/mu);
    const mac = fakeWorld({ host: { os: 'Darwin' }, vms: [] });
    const m = await cli(['host', '--json'], cliEnv(mac));
    expect(m.code).toBe(3);
    expect(JSON.parse(m.stdout)).toMatchObject({ os: 'Darwin', supported: false, vboxManageVersion: { major: 7 } });
  });

  it('plan: every VM with its reason, nothing changed', async () => {
    const fake = fleet();
    const r = await cli(['plan', '--policy', 'budget', '--budget', '7G'], cliEnv(fake));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Policy budget: backing \d+ -> \d+ MB of 7168 MB budget, headroom \d+ MB$/mu);
    expect(r.stdout).toMatch(/^web-1 +0 MB +100 MB +\+100 +/mu);
    expect(r.stderr).toContain('db-1');
    expect(calls(fake).some((a) => a[0] === 'controlvm')).toBe(false);
    const j = await cli(['plan', '--policy', 'budget', '--budget', '7G', '--json'], cliEnv(fake));
    expect(JSON.parse(j.stdout)).toMatchObject({ tick: 1, applied: [], plan: { policy: 'budget', budget: { budgetMb: 7168 } } });
  });

  it('--vboxmanage with a path that is not there: exit 4, VBOXMANAGE_NOT_FOUND', async () => {
    const fake = fleet();
    const r = await cli(['status', '--vboxmanage', '/nonexistent/VBoxManage', '--json'], cliEnv(fake));
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'VBOXMANAGE_NOT_FOUND', searched: ['/nonexistent/VBoxManage'] } });
  });

  it('--simulate needs no VirtualBox', async () => {
    const r = await cli(['status', '--simulate', '--json'], cliEnv(null, { VBOXMANAGE_PATH: '/nonexistent' }));
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBeGreaterThan(3);
  });
});

describe('autopilot in the foreground', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s ends it after the current tick, exit 0, no process left', async (signal) => {
    const fake = fleet();
    const child = spawnCli(['autopilot', '--policy', 'budget', '--budget', '7G', '--interval', '300ms', '--json'], cliEnv(fake));
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!sent && stdout.split('\n').length > 2) {
        sent = true;
        child.kill(signal);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const ticks = stdout.trim().split('\n').map((l) => JSON.parse(l) as { tick: number; applied: unknown[] });
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.map((t) => t.tick)).toEqual(ticks.map((_, i) => i + 1));
    expect(stderr).toMatch(/Autopilot stopped after \d+ ticks/u);
    expect(leftoverProcesses(fake.statePath)).toEqual([]);
    expect(child.pid !== undefined && (() => { try { process.kill(child.pid, 0); return true; } catch { return false; } })()).toBe(false);
  });

  it('--max-ticks 2 logs two lines and ends by itself', async () => {
    const fake = fleet();
    const r = await cli(['autopilot', '--policy', 'budget', '--budget', '7G', '--interval', '100ms', '--max-ticks', '2'], cliEnv(fake));
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    // Large pages on db-1 is configuration, not a failure: a warning once (in the CLI's words), no error in the tick.
    expect(lines[0]).toMatch(/tick 1: 1 change \(web-1 0->100 MB\), backing \d+ -> \d+ MB of 7168 MB budget, headroom \d+ MB, 0 errors$/u);
    expect(r.stderr.match(/warning: db-1: .*has large pages enabled/gu)).toHaveLength(1);
    expect(r.stderr).toContain('vbox-balloon prepare db-1');
  });
});

describe('terminal: progress in place and colour only on a TTY, never with NO_COLOR', () => {
  it('set --wait updates one line in place on a terminal', async () => {
    const fake = fleet();
    const r = await runInTerminal(['set', 'busy-1', '1G', '--wait', '2s', '--poll', '200ms'], cliEnv(fake));
    expect(r.code).toBe(6);
    expect(r.stdout).toContain(`\r${ESC}[2K`);
    expect(r.stdout).toMatch(/busy-1: balloon 196\/1024 MB/u);
  });

  it('status is coloured on a terminal, not with NO_COLOR, and not through a pipe', async () => {
    const fake = fleet();
    const tty = await runInTerminal(['status'], cliEnv(fake));
    expect(tty.stdout).toContain(`${ESC}[32myes${ESC}[39m`);
    const noColor = await runInTerminal(['status'], cliEnv(fake, { NO_COLOR: '1' }));
    expect(noColor.stdout).toContain('yes');
    expect(noColor.stdout).not.toContain(`${ESC}[`);
    const piped = await runCli(['status'], cliEnv(fake));
    expect(piped.stdout).not.toContain(ESC);
  });
});
