// Regression: issue 20 item 4 (plan). `plan` reads at 80 columns: the fleet-level sentence is said once, above the
// table, and each VM's own reason is wrapped in the WHY column; --json keeps each entry's whole reason.
import { describe, expect, it } from 'vitest';
import { newStateDir, runCliInProcess } from '../helpers/cli.js';

const env = () => ({ PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', VBOX_BALLOON_STATE_DIR: newStateDir() });
const ARGS = ['plan', '--policy', 'budget', '--budget', '60%', '--simulate'];

describe('plan at 80 columns', () => {
  it('says the fleet part once and wraps each VM reason within 80 columns', async () => {
    const r = await runCliInProcess(ARGS, env());
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    expect(r.stdout.match(/is \d+ MB over the budget/gu)).toHaveLength(1);
    // Each VM's own words are still there (wrapped): the inflation of web-1 and the large pages of db-1.
    const flat = r.stdout.replace(/\s+/gu, ' ');
    expect(flat).toContain('among the guests with the most free memory per share');
    expect(flat).toContain('large pages are on');
  });

  it('--json keeps the whole reason of every entry', async () => {
    const r = await runCliInProcess([...ARGS, '--json'], env());
    const event = JSON.parse(r.stdout) as { plan: { entries: { vm: string; reason: string }[] } };
    const web1 = event.plan.entries.find((e) => e.vm === 'web-1');
    expect(web1?.reason).toMatch(/^backing \d+ MB is \d+ MB over the budget \d+ MB; after relief .*; inflating by \d+ MB: among/u);
  });
});
