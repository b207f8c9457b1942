// The autopilot on a simulated host: 6 VMs with changing workloads, 120 ticks of 10 s in virtual time, the budget
// policy. Prints a summary per tick and writes an SVG chart.
//   npx tsx examples/autopilot.ts [chart.svg]          (default: docs/autopilot-chart.svg)
import { writeFileSync } from 'node:fs';
import { BalloonController, InMemoryVBoxManageClient, type TickEvent } from 'vbox-balloon';
import { svgChart } from './lib/svg-chart.js';

const out = process.argv[2] ?? 'docs/autopilot-chart.svg';
const minute = 60_000;
const sim = new InMemoryVBoxManageClient({
  host: { memoryMb: 32768 },
  balloonRateMbPerSec: 32, // guests inflate at most 320 MB per 10 s tick
  vms: [
    { name: 'web-1', state: 'running', memoryMb: 4096 },
    { name: 'web-2', state: 'running', memoryMb: 4096 },
    { name: 'db-1', state: 'running', memoryMb: 8192 },
    { name: 'ci-1', state: 'running', memoryMb: 6144 },
    { name: 'ci-2', state: 'running', memoryMb: 6144 },
    { name: 'cache-1', state: 'running', memoryMb: 2048 },
  ],
});
// Used memory (MB) over simulated time (ms): a daily-ish web wave, a steady database, CI jobs that come and go.
const workloads: Record<string, (t: number) => number> = {
  'web-1': (t) => 1200 + 800 * Math.sin(t / (4 * minute)),
  'web-2': (t) => 900 + 500 * Math.sin(t / (3 * minute) + 1),
  'db-1': () => 5200,
  'ci-1': (t) => (t > 6 * minute && t < 13 * minute ? 5200 : 700),
  'ci-2': (t) => (t > 10 * minute ? 4200 : 900),
  'cache-1': () => 700,
};
for (const [vm, used] of Object.entries(workloads)) sim.setWorkload(vm, used);

const budgetMb = 20_000;
const events: TickEvent[] = [];
const controller = new BalloonController({ client: sim });
const handle = controller.autopilot({
  policy: { kind: 'budget', budgetMb, maxChangeMb: 300, deadbandMb: 16, guestMinFreeMb: 256 },
  limits: { 'db-1': { minMb: 6000 }, 'cache-1': { shares: 500 } },
  intervalMs: 10_000,
  maxTicks: 120,
  // Virtual time: each wait moves the simulated host forward instead of sleeping.
  clock: {
    now: () => sim.time,
    sleep: (ms) => {
      sim.advanceTime(ms);
      return Promise.resolve(true);
    },
  },
  onTick: (e) => {
    events.push(e);
    const backing = e.plan?.budget?.backingBeforeMb ?? 0;
    const moves = e.applied.map((a) => `${a.vm} ${a.deltaMb > 0 ? '+' : ''}${a.deltaMb}`).join(', ');
    console.log(`tick ${String(e.tick).padStart(3)}  backing ${String(backing).padStart(5)} MB / budget ${budgetMb} MB  ${moves === '' ? 'steady' : moves}${e.errors.length > 0 ? `  errors: ${e.errors.length}` : ''}`);
  },
});
if (handle.isErr()) throw new Error(handle.error.message);
await handle.value.done;

const names = Object.keys(workloads);
const series = (f: (e: TickEvent, vm: string) => number | null | undefined, vm: string) => events.map((e) => f(e, vm) ?? 0);
const vmOf = (e: TickEvent, vm: string) => e.snapshot?.vms.find((v) => v.name === vm);
const chart = svgChart('vbox-balloon autopilot: 6 VMs, budget policy, 120 ticks of 10 s', [
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
const last = events.at(-1);
console.log(`\nfinal: backing ${last?.plan?.budget?.backingBeforeMb ?? '?'} MB against a budget of ${budgetMb} MB; chart written to ${out}`);
