// Placement across hosts: the VBoxManage calls of BalloonFleet.planStart over H hosts with N VMs each (H times the
// one-host plan, run in parallel), its wall time against the slowest host alone and the sum of all, and the calls of
// a clone-and-start. Against the stand-in, one world per host.
import { BalloonController, BalloonFleet, type InMemoryVmSpec } from '../src/index.js';
import { fakeClient, fakeWorld, type FakeWorld } from '../test/helpers/stand-in.js';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

async function ms(body: () => Promise<unknown>, runs = 3): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await body();
    t.push(performance.now() - s);
  }
  return median(t);
}

/** The markdown section for docs/benchmarks.md. */
export async function placementSection(hostCount = 3, vmCount = 10): Promise<string> {
  const vms: InMemoryVmSpec[] = [
    ...Array.from({ length: vmCount }, (_, i) => ({ name: `vm-${String(i).padStart(2, '0')}`, state: 'running' as const, memoryMb: 4096, usedMb: 1024 })),
    { name: 'ci-base', state: 'poweroff', memoryMb: 2048, snapshots: ['base'] },
    { name: 'next', state: 'poweroff', memoryMb: 4096 },
  ];
  const worlds: FakeWorld[] = Array.from({ length: hostCount }, () => fakeWorld({ host: { memoryMb: 65_536 }, vms }));
  const hosts = worlds.map((w, i) => ({ name: `lab-${i + 1}`, controller: new BalloonController({ client: fakeClient(w, { metricsSettleMs: 3000 }) }) }));
  const fleet = new BalloonFleet(hosts);
  await Promise.all(hosts.map((h) => h.controller.inspectAll()));
  const calls = (): number[] => worlds.map((w) => w.log().length);
  const before = calls();
  (await fleet.planStart('next'))._unsafeUnwrap();
  const perHost = calls().map((c, i) => c - (before[i] ?? 0));
  const one = await Promise.all(hosts.map((h) => ms(async () => await h.controller.planStart('next'))));
  const all = await ms(async () => await fleet.planStart('next'));
  const slowest = Math.max(...one);
  const sum = one.reduce((a, b) => a + b, 0);
  const b2 = calls();
  const started = (await fleet.startWithRoom('ci-9', { clone: { from: 'ci-base', snapshot: 'base' } }))._unsafeUnwrap();
  const cloneCalls = calls().reduce((a, c, i) => a + c - (b2[i] ?? 0), 0);
  const onChosen = (calls()[Number(started.host.slice(4)) - 1] ?? 0) - (b2[Number(started.host.slice(4)) - 1] ?? 0);
  return `## Placement across hosts

\`BalloonFleet.planStart\` over ${hostCount} hosts with ${vmCount} running VMs each (the stand-in, one world per host):
each host runs the one-host plan, in parallel.

| operation | VBoxManage calls | least possible | what they are |
|---|---|---|---|
| planStart across ${hostCount} hosts, per host | ${perHost.join(', ')} | ${1 + 1 + 1 + vmCount + 1 + 1} each | showvminfo + list hostinfo + list vms + ${vmCount + 1} showvminfo (the other VMs) + one metrics query, on every host |
| planStart across ${hostCount} hosts, in all | ${perHost.reduce((a, b) => a + b, 0)} | ${hostCount} × the one-host plan | H × the one-host plan; nothing changed |
| startWithRoom with clone (plan on every host, then clonevm + startvm on one) | ${cloneCalls} (${onChosen} on ${started.host}) | (H + 1) × ${1 + 1 + 1 + 1 + vmCount + 2 + 1} + 4 | the plan on every host (showvminfo of the base and of the free name, list hostinfo, list vms, ${vmCount + 2} showvminfo, one metrics query), the plan again on the chosen host in its turn, then clonevm + showvminfo + startvm + showvminfo there |

Wall time of the placement: ${all.toFixed(0)} ms, against ${slowest.toFixed(0)} ms for the slowest host alone and ${sum.toFixed(0)} ms for all hosts one
after another (median of 3): the wall time of the slowest host, not the sum (ratio to the sum ${(all / sum).toFixed(2)}).

`;
}
