// npm run bench (part): the autopilot scenario suite for the budget policy, VBoxBalloonCtrl (every VM asking for
// its maximum) and no ballooning. Returns the Markdown table; run alone with `npx tsx bench/autopilot-scenarios.ts`.
import { SCENARIOS, runScenario, scenarioTable, type Mode, type ScenarioMetrics } from '../test/autopilot/scenarios.js';

export async function autopilotScenarioTable(log: (line: string) => void = () => undefined): Promise<string> {
  const rows: ScenarioMetrics[] = [];
  for (const s of SCENARIOS) {
    for (const mode of ['budget', 'balloonctrl', 'none'] as const satisfies readonly Mode[]) {
      const t = performance.now();
      const r = await runScenario(s, mode);
      rows.push(r.metrics);
      log(`${s.name} ${mode}: ${(performance.now() - t).toFixed(0)} ms`);
    }
  }
  return scenarioTable(rows);
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  console.log(await autopilotScenarioTable((l) => {
    console.error(l);
  }));
}
