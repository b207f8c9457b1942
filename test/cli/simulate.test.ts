// The CLI in-process against its own simulated fleet (--simulate: the in-memory host, no VBoxManage, no process):
// every command once, in the quick loop. The same commands against the VBoxManage stand-in, and the built
// executable, are in the *.e2e.test.ts files here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run one command against a fresh simulated fleet (its own state directory: the simulated host remembers between runs); `onOut` sees stdout as it is written. */
async function sim(args: readonly string[], options: { readonly signal?: AbortSignal; readonly onOut?: (all: string) => void } = {}): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (t: string) => { stdout += t; options.onOut?.(stdout); } },
    stderr: { write: (t: string) => (stderr += t) },
    env: { VBOX_BALLOON_STATE_DIR: join(mkdtempSync(join(tmpdir(), 'vbb-cli-state-')), 'state') },
  };
  const code = await run([...args, '--simulate'], io, { signal: options.signal ?? new AbortController().signal }, '1.2.3');
  return { code, stdout, stderr };
}

describe('the CLI over --simulate, in-process', () => {
  it('status: every VM, with why a live change is refused', async () => {
    const r = await sim(['status']);
    expect(r.code).toBe(0);
    const [table, said] = r.stdout.trimEnd().split(/\n(?=This is the simulated host)/u);
    expect(said).toMatch(/^This is the simulated host \(--simulate\)/u);
    const rows = (table ?? '').split('\n');
    expect(rows[0]).toMatch(/^NAME +STATE +RAM +REQUESTED +ACHIEVED +GUEST FREE +MAX +BACKING +LIVE CHANGE$/u);
    expect(rows.slice(1).map((l) => l.split(/ +/u)[0])).toEqual(['web-1', 'web-2', 'build-1', 'db-1', 'win-1', 'spare-1']);
    expect(r.stdout).toMatch(/^db-1 .* 8192 MB +no: large pages on$/mu);
    expect(r.stdout).toMatch(/^spare-1 .* 0 MB +no: VM is poweroff$/mu);
    expect(r.stdout).toMatch(/^win-1 .* no: no Guest Additions$/mu);
  });

  it('status VM --json: the SDK object', async () => {
    const r = await sim(['status', 'web-1', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject([{ name: 'web-1', state: 'running', memoryMb: 4096, live: { allowed: true }, guest: { freeMb: 3072 } }]);
  });

  it('set: the live balloon changes; a VM with large pages is refused with exit 3 and nothing changed', async () => {
    expect(await sim(['set', 'web-1', '1G'])).toMatchObject({ code: 0, stdout: 'web-1: live balloon 0 MB -> 1024 MB\n' });
    const refused = await sim(['set', 'db-1', '512']);
    expect(refused).toMatchObject({ code: 3, stdout: '' });
    expect(refused.stderr).toMatch(/^error: VM 'db-1' has large pages enabled/u);
  });

  it('reclaim --dry-run: the plan, the VMs left out on stderr, nothing changed', async () => {
    const r = await sim(['reclaim', '2G', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^web-1 +3072 MB +0 MB +2048 MB +2048 MB$/mu);
    expect(r.stdout).toMatch(/^Would reclaim 2048 MB from 1 VM \(dry run, nothing changed\)\.$/mu);
    expect(r.stderr).toMatch(/^warning: db-1: left out of the reclaim: large pages are on$/mu);
    expect(r.stderr).toMatch(/^warning: win-1: left out of the reclaim: its Guest Additions are not running$/mu);
  });

  it('reclaim more than the fleet can give: exit 3', async () => {
    const r = await sim(['reclaim', '64G']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
  });

  it('plan, both policies: a row per VM it can move, with the reason', async () => {
    const budget = await sim(['plan', '--policy', 'budget', '--budget', '20G']);
    expect(budget.code).toBe(0);
    // db-1 (large pages) and win-1 (no Guest Additions) are backed in full: 28 GB against a budget of 20 GB.
    expect(budget.stdout).toMatch(/^Policy budget: backing 28672 -> \d+ MB of 20480 MB budget, headroom 0 MB$/mu);
    // The fleet's reason once, above the table; each row its VM's own words.
    expect(budget.stdout).toMatch(/^Fleet: backing 28672 MB is \d+ MB over the budget 20480 MB/mu);
    expect(budget.stdout).toMatch(/^web-1 +0 MB +\d+ MB +\+\d+ +inflating by/mu);
    const ctrl = await sim(['plan', '--policy', 'balloonctrl']);
    expect(ctrl.code).toBe(0);
    expect(ctrl.stdout).toMatch(/^win-1 .* guest statistics are not up yet/mu);
  });

  it('host: supported on the simulated Linux host', async () => {
    const r = await sim(['host']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Ballooning: +supported$/mu);
  });

  it('restore with nothing to restore says so', async () => {
    expect(await sim(['restore'])).toMatchObject({ code: 0, stdout: 'Nothing to restore: every running VM is at its default.\n' });
  });

  it('prepare and default on the VM that is off; --json is the SDK change', async () => {
    expect(await sim(['prepare', 'spare-1', '--default', '256'])).toMatchObject({ code: 0, stdout: 'spare-1: default balloon 0 MB -> 256 MB\n' });
    const d = await sim(['default', 'spare-1', '10%', '--json']);
    expect(d.code).toBe(0);
    expect(JSON.parse(d.stdout)).toMatchObject({ vm: 'spare-1', kind: 'default', fromMb: 0, toMb: 204, commands: [['modifyvm', '00000000-0000-4000-8000-000000000006', '--guestmemoryballoon', '204']], dryRun: false });
  });

  it('start --make-room --dry-run: where the memory would come from, and the commands it would run', async () => {
    const r = await sim(['start', 'spare-1', '--make-room', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^spare-1 needs 2176 MB: 2048 MB of RAM and 128 MB of VirtualBox overhead/mu);
    expect(r.stdout).toMatch(/^ {2}VBoxManage startvm 00000000-0000-4000-8000-000000000006 --type headless$/mu);
  });

  it('autopilot --max-ticks 2: two tick lines, then it stops by itself', async () => {
    const r = await sim(['autopilot', '--policy', 'budget', '--budget', '20G', '--interval', '10ms', '--max-ticks', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map((l) => / tick (\d+):/u.exec(l)?.[1])).toEqual(['1', '2']);
    expect(r.stderr).toMatch(/^Autopilot stopped after 2 ticks\.$/mu);
  });

  it('autopilot, interrupted after its first tick: stops after the current tick, exit 0', async () => {
    const ac = new AbortController();
    const r = await sim(['autopilot', '--policy', 'budget', '--budget', '20G', '--interval', '1h'], { signal: ac.signal, onOut: (all) => { if (/ tick 1:/u.test(all)) ac.abort(); } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ tick 1:/u);
    expect(r.stderr).toMatch(/^Autopilot stopped after 1 tick\.$/mu);
  });

  it('a usage error is exit 2 with the usage, before anything runs', async () => {
    const r = await sim(['set', 'web-1', '12X']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SIZE "12X" is not a size/u);
    expect(r.stderr).toMatch(/^usage: vbox-balloon set /mu);
  });

  it('--version and --help need no fleet', async () => {
    expect(await sim(['--version'])).toMatchObject({ code: 0, stdout: 'vbox-balloon 1.2.3\n' });
    const help = await sim(['status', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: vbox-balloon status/mu);
  });
});
