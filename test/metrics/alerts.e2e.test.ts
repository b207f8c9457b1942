// Regression: issue 20 item 10. The over-budget alert's description names the excess (backing minus budget), not
// the whole backing: promtool evaluates the shipped rules against series where backing is 30 GiB and the budget 26.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const RULES = fileURLToPath(new URL('../../docs/prometheus-alerts.yml', import.meta.url));
const GiB = 1024 ** 3;

describe('docs/prometheus-alerts.yml', () => {
  it('VBoxBalloonOverBudget fires with the excess as its value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vbb-alerts-'));
    const test = join(dir, 'test.yml');
    writeFileSync(
      test,
      `rule_files: [${JSON.stringify(RULES)}]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'vbox_balloon_guest_backing_bytes{host="h1"}'
        values: '${30 * GiB}x15'
      - series: 'vbox_balloon_budget_bytes{host="h1"}'
        values: '${26 * GiB}x15'
    alert_rule_test:
      - eval_time: 12m
        alertname: VBoxBalloonOverBudget
        exp_alerts:
          - exp_labels: { severity: warning, host: h1 }
            exp_annotations:
              summary: "h1: guests are backed by more memory than the budget for 10 minutes"
              description: "Backing is 4GiB over the budget policy's limit; the guests' floors may need more than the budget."
`,
    );
    expect(() => execFileSync('promtool', ['test', 'rules', test], { encoding: 'utf8', stdio: 'pipe' })).not.toThrow();
  });
});
