// One figure on the command line (issue 18): `host --json` and `plan --json`, in-process over the VBoxManage stand-in
// (a separate model of VirtualBox), carry the backing, budget and headroom of the host-memory ledger.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { BalloonController, type MemoryLedger, type TickEvent } from '../../src/index.js';
import { FAKE_VBOXMANAGE, fakeClient, fakeWorld } from '../helpers/stand-in.js';
import { fleetArb, plainBacking, same, specs } from './one-figure.model.js';

// The command line, in process, over the VBoxManage stand-in (a separate model of VirtualBox): fewer runs, since
// every VBoxManage call is a process.
describe('one figure on the command line', { timeout: 120_000 }, () => {
  const saved = { state: process.env['FAKE_VBOX_STATE'], log: process.env['FAKE_VBOX_LOG'] };
  afterAll(() => {
    if (saved.state === undefined) delete process.env['FAKE_VBOX_STATE'];
    else process.env['FAKE_VBOX_STATE'] = saved.state;
    if (saved.log === undefined) delete process.env['FAKE_VBOX_LOG'];
    else process.env['FAKE_VBOX_LOG'] = saved.log;
  });

  async function cli(args: string[]): Promise<unknown> {
    let out = '';
    const io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, env: {} };
    const code = await run([...args, '--json', '--vboxmanage', FAKE_VBOXMANAGE], io, { signal: new AbortController().signal }, 'test');
    expect([0, 3]).toContain(code);
    return JSON.parse(out);
  }

  it('host --json and plan --json carry the ledger\'s backing, budget and headroom', async () => {
    await fc.assert(
      fc.asyncProperty(fleetArb, async (f) => {
        const fake = fakeWorld({ host: { memoryMb: f.hostMb }, vms: specs(f, false) });
        Object.assign(process.env, fake.env);
        const vbox = new BalloonController({ client: fakeClient(fake) });
        const statuses = (await vbox.inspectAll())._unsafeUnwrap();
        const ledger = (await vbox.memory({ budgetPercent: f.percent }))._unsafeUnwrap();
        expect(ledger.backingMb).toBe(statuses.reduce((sum, s) => sum + plainBacking(s), 0));
        const host = (await cli(['host', '--budget', `${f.percent}%`])) as { memory: MemoryLedger };
        expect(same(host.memory)).toEqual(same(ledger));
        const planned = (await cli(['plan', '--policy', 'budget', '--budget', `${f.percent}%`])) as TickEvent;
        expect(same(planned.plan?.memory as MemoryLedger)).toEqual(same(ledger));
      }),
      { numRuns: 4 },
    );
  });
});
