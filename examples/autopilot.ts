// The autopilot on a simulated host with noisy guests: 6 VMs whose reported free memory jitters every sample (page
// cache), web guests on a daily wave, CI bursts, a cache that leaks, a CI runner that starts late and stops early,
// stats missing for 30 s after each start, balloons that move at most 320 MB per 10 s tick and only into free
// memory. 180 ticks of 10 s in virtual time, the budget policy with its defaults. Prints a line per tick and writes
// an SVG chart.
//   npx tsx examples/autopilot.ts [chart.svg]          (default: docs/autopilot-chart.svg)
import { writeFileSync } from 'node:fs';
import { BalloonController, InMemoryVBoxManageClient, guestWorkload, seedFrom, virtualClock, type GuestModelSpec, type TickEvent } from 'vbox-balloon';
import { svgChart } from './lib/svg-chart.js';

const out = process.argv[2] ?? 'docs/autopilot-chart.svg';
const minute = 60_000;
const day = 30 * minute; // a compressed day, so that the run shows a whole wave
const sim = new InMemoryVBoxManageClient({
  host: { memoryMb: 32768 },
  balloonRateMbPerSec: 32, // guests move their balloon at most 320 MB per 10 s tick
  vms: [
    { name: 'web-1', state: 'running', memoryMb: 4096, statsDelayMs: 30_000 },
    { name: 'web-2', state: 'running', memoryMb: 4096, statsDelayMs: 30_000 },
    { name: 'db-1', state: 'running', memoryMb: 8192, statsDelayMs: 30_000 },
    { name: 'ci-1', state: 'running', memoryMb: 6144, statsDelayMs: 30_000 },
    { name: 'ci-2', state: 'poweroff', memoryMb: 6144, statsDelayMs: 30_000 },
    { name: 'cache-1', state: 'running', memoryMb: 2048, statsDelayMs: 30_000 },
  ],
});
// What each guest does with its memory (MB): a base, jitter, and a wave, bursts or a leak. Seeded: every run is the same.
const models: Record<string, GuestModelSpec> = {
  'web-1': { baseUsedMb: 1300, jitterMb: 16, wave: { amplitudeMb: 700, periodMs: day } },
  'web-2': { baseUsedMb: 1000, jitterMb: 16, wave: { amplitudeMb: 500, periodMs: day, phase: 0.5 } },
  'db-1': { baseUsedMb: 5200, jitterMb: 32 },
  'ci-1': { baseUsedMb: 800, jitterMb: 24, bursts: { sizeMb: 3000, durationMs: 3 * minute, everyMs: 10 * minute } },
  'ci-2': { baseUsedMb: 1500, jitterMb: 24, bursts: { sizeMb: 2000, durationMs: 2 * minute, everyMs: 6 * minute } },
  'cache-1': { baseUsedMb: 500, jitterMb: 8, leakMbPerHour: 1200 },
};
for (const [vm, model] of Object.entries(models)) sim.setWorkload(vm, guestWorkload({ seed: seedFrom(vm), ...model }));

const budgetMb = 20_000;
const events: TickEvent[] = [];
const controller = new BalloonController({ client: sim });
const handle = controller.autopilot({
  policy: { kind: 'budget', budgetMb }, // the defaults: no tuning
  limits: { 'db-1': { minMb: 6000 }, 'cache-1': { shares: 500 } },
  intervalMs: 10_000,
  maxTicks: 180,
  // Virtual time: each wait moves the simulated host forward instead of sleeping; ci-2 runs from 6 to 24 minutes.
  clock: virtualClock(sim, [
    { atMs: 6 * minute, vm: 'ci-2', action: 'start' },
    { atMs: 24 * minute, vm: 'ci-2', action: 'poweroff' },
  ]),
  onTick: (e) => {
    events.push(e);
    const backing = e.plan?.budget?.backingBeforeMb ?? 0;
    const moves = e.applied.map((a) => `${a.vm} ${a.deltaMb > 0 ? '+' : ''}${a.deltaMb}`).join(', ');
    console.log(`tick ${String(e.tick).padStart(3)}  backing ${String(backing).padStart(5)} MB / budget ${budgetMb} MB  ${moves === '' ? 'steady' : moves}${e.errors.length > 0 ? `  errors: ${e.errors.length}` : ''}`);
  },
});
if (handle.isErr()) throw new Error(handle.error.message);
await handle.value.done;

const names = Object.keys(models);
const vmOf = (e: TickEvent, vm: string) => e.snapshot?.vms.find((v) => v.name === vm);
const series = (f: (e: TickEvent, vm: string) => number | null | undefined, vm: string) => events.map((e) => f(e, vm) ?? 0);
const chart = svgChart('vbox-balloon autopilot: 6 noisy VMs, budget policy (defaults), 180 ticks of 10 s', [
  ...names.map((vm) => ({
    title: vm,
    series: [
      { label: 'balloon MB', color: '#c0392b', points: series((e, n) => vmOf(e, n)?.balloonMb, vm) },
      { label: 'guest free MB', color: '#2e86c1', points: series((e, n) => vmOf(e, n)?.guestFreeMb, vm) },
    ],
  })),
  {
    title: 'memory backing all guests',
    series: [
      { label: 'backing MB', color: '#27ae60', points: events.map((e) => e.plan?.budget?.backingBeforeMb ?? 0) },
      { label: 'budget MB', color: '#7f8c8d', points: events.map(() => budgetMb), dashed: true },
    ],
  },
]);
writeFileSync(out, chart);
const converged = events.slice(30);
const within = converged.filter((e) => (e.plan?.budget?.backingBeforeMb ?? 0) <= budgetMb).length;
const calls = events.reduce((n, e) => n + e.applied.length, 0);
const last = events.at(-1);
console.log(`\nfinal: backing ${last?.plan?.budget?.backingBeforeMb ?? '?'} MB against a budget of ${budgetMb} MB; within budget in ${within} of the last ${converged.length} ticks; ${calls} controlvm calls in ${events.length} ticks; chart written to ${out}`);
