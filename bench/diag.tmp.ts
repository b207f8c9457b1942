import { SCENARIOS, runScenario } from '../test/autopilot/scenarios.js';
void (async () => {
  for (const s of SCENARIOS) {
    const r = await runScenario(s, 'budget');
    const reasons = r.events.flatMap((e) => e.applied.map((a) => a.reason));
    const relief = reasons.filter((x) => /under the floor/u.test(x)).length;
    const held = reasons.filter((x) => /allows no more/u.test(x)).length;
    const minFree = Math.min(...r.events.flatMap((e) => (e.snapshot?.vms ?? []).map((v) => v.guestFreeMb ?? 9999)));
    const over = r.backing.map((b, i) => (b > s.budgetMb ? i + 1 : 0)).filter((x) => x > 0);
    console.log(s.name, 'firstWithin', r.metrics.firstWithinTick, 'relief', relief, 'held', held, 'minFree', minFree, 'overTicks', over.slice(0, 40).join(','), over.length);
  }
})();
