// One figure everywhere (issue 18): random hosts with VMs in every state, large pages, no Guest Additions and
// missing statistics, read through every feature that reports host memory. Each must report the backing, budget and
// headroom of the host-memory ledger, and the ledger must equal a plain sum (one-figure.model.ts). The same through the
// command line over the VBoxManage stand-in: one-figure-cli.e2e.test.ts.
import fc from 'fast-check';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { balloonMetrics } from '../../src/metrics/index.js';
import { BalloonController, InMemoryVBoxManageClient, type AutopilotPolicy, type MemoryLedger, type TickEvent } from '../../src/index.js';
import { fleetArb, plainBacking, same, specs } from './one-figure.model.js';

async function tick(vbox: BalloonController, policy: AutopilotPolicy): Promise<TickEvent> {
  let event: TickEvent | undefined;
  const started = vbox.autopilot({ policy, dryRun: true, maxTicks: 1, onTick: (e) => (event = e), limits: { 'vm-0': { minMb: 256, maxBalloonMb: 1024, shares: 2000 } } });
  await started._unsafeUnwrap().done;
  if (event?.plan == null) throw new Error(`no plan: ${JSON.stringify(event?.errors)}`);
  return event;
}

async function exposition(event: TickEvent): Promise<Record<string, number>> {
  const registry = new Registry();
  const m = balloonMetrics({ registry, host: 'h' })._unsafeUnwrap();
  m.onTick(event);
  const text = await registry.metrics();
  const value = (name: string): number => Number(text.split('\n').find((l) => l.startsWith(`${name}{host="h"} `))?.split(' ')[1]);
  return { backingMb: value('vbox_balloon_guest_backing_bytes') / 1048576, budgetMb: value('vbox_balloon_budget_bytes') / 1048576, headroomMb: value('vbox_balloon_headroom_bytes') / 1048576 };
}

describe('one figure everywhere (issue 18)', () => {
  it('the ledger, both policies, planStart and the metrics agree on random hosts, and equal the plain sum', async () => {
    await fc.assert(
      fc.asyncProperty(fleetArb, async (f) => {
        const client = new InMemoryVBoxManageClient({ host: { memoryMb: f.hostMb }, vms: specs(f, true) });
        const vbox = new BalloonController({ client });
        await vbox.inspectAll(); // the first look enables the guests' metrics
        client.advanceTime(60_000); // and the guests inflate their default balloons
        const statuses = (await vbox.inspectAll())._unsafeUnwrap();
        expect(f.vms.some((v) => v.state === 'running' && v.runLevel >= 2 && !v.noStats && v.balloonFrac > 0.1 && v.usedFrac < 0.5) ? statuses.some((s) => (s.balloon.actualMb ?? 0) > 0) : true).toBe(true);
        const rules = { budgetPercent: f.percent };
        const ledger = (await vbox.memory(rules))._unsafeUnwrap();
        const plain = (await vbox.inspectAll())._unsafeUnwrap().reduce((sum, s) => sum + plainBacking(s), 0);
        const budget = Math.floor((f.hostMb * f.percent) / 100);
        expect(same(ledger)).toEqual({ budgetMb: budget, backingMb: plain, headroomMb: Math.max(0, budget - plain) });
        expect(statuses.map((s) => s.memory.backingMb).reduce((a, b) => a + b, 0)).toBe(plain);
        const budgetTick = await tick(vbox, { kind: 'budget', ...rules });
        expect(same(budgetTick.plan?.memory as MemoryLedger)).toEqual(same(ledger));
        expect(budgetTick.plan?.budget?.backingBeforeMb).toBe(ledger.backingMb);
        expect(await exposition(budgetTick)).toEqual(same(ledger));
        // The balloonctrl policy has no budget of its own: its figures stand against the default 80 %.
        const ctrlTick = await tick(vbox, { kind: 'balloonctrl' });
        const byDefault = (await vbox.memory())._unsafeUnwrap();
        expect(same(ctrlTick.plan?.memory as MemoryLedger)).toEqual(same(byDefault));
        expect(await exposition(ctrlTick)).toEqual(same(byDefault));
        const plan = (await vbox.planStart('next', rules))._unsafeUnwrap();
        expect(same(plan)).toEqual(same(ledger));
        expect(plan.reservedMb).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('issue 18: the example gives one figure everywhere', async () => {
    const client = new InMemoryVBoxManageClient({
      host: { memoryMb: 32_768 },
      vms: [
        { name: 'web-1', state: 'running', memoryMb: 16_384, defaultBalloonMb: 6000, usedMb: 4000 },
        { name: 'db-1', state: 'running', memoryMb: 16_384, largePages: true },
        { name: 'spare', state: 'poweroff', memoryMb: 2048 },
      ],
    });
    const vbox = new BalloonController({ client });
    await vbox.inspectAll();
    client.advanceTime(60_000);
    expect((await vbox.inspect('web-1'))._unsafeUnwrap().balloon.actualMb).toBe(6000);
    const one = { budgetMb: 26_214, backingMb: 26_768, headroomMb: 0 };
    expect(same((await vbox.memory({ budgetPercent: 80 }))._unsafeUnwrap())).toEqual(one);
    expect(same((await vbox.planStart('spare', { budgetPercent: 80 }))._unsafeUnwrap())).toEqual(one);
    const t = await tick(vbox, { kind: 'budget', budgetPercent: 80 });
    expect(same(t.plan?.memory as MemoryLedger)).toEqual(one);
    expect(t.plan?.entries.find((e) => e.vm === 'web-1')?.deltaMb).toBeGreaterThanOrEqual(0); // never deflates over budget
    expect(await exposition(t)).toEqual(one);
  });
});
