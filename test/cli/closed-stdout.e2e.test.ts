// A reader that goes away early (`status | head -1`, `autopilot --json | head -1`) ends the command quietly: what it
// was doing is finished, no stack, no "Unhandled 'error' event", and an autopilot stops instead of running unread.
import { describe, expect, it } from 'vitest';
import { fakeWorld } from '../helpers/stand-in.js';
import { cliEnv, runCliStdoutClosed } from '../helpers/cli.js';


describe('a closed stdout', { timeout: 90_000 }, () => {
  it('status ends quietly with its own exit code', async () => {
    const r = await runCliStdoutClosed(['status', '--simulate'], cliEnv(null));
    expect(r.stderr).not.toMatch(/Unhandled|EPIPE|\n\s+at /u);
    expect(r.code).toBe(0);
  });

  it('autopilot --json stops after the tick in progress and exits 0', async () => {
    const r = await runCliStdoutClosed(['autopilot', '--simulate', '--json', '--policy', 'budget', '--budget', '80%', '--interval', '1s'], cliEnv(null));
    expect(r.stderr).not.toMatch(/Unhandled|EPIPE|\n\s+at /u);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Autopilot stopped after 1 tick/u);
  });

  it('set --wait finishes the change and its wait, and exits 0', async () => {
    const fake = fakeWorld({ vms: [{ name: 'vm', state: 'running', memoryMb: 4096, usedMb: 512 }] });
    const r = await runCliStdoutClosed(['set', 'vm', '1024', '--wait', '30s'], cliEnv(fake));
    expect(r.stderr).not.toMatch(/Unhandled|EPIPE|\n\s+at /u);
    expect(r.code).toBe(0);
    expect(fake.run('showvminfo', 'vm', '--machinereadable')).toMatch(/^GuestMemoryBalloon=1024$/mu);
  });
});
