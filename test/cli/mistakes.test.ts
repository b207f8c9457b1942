// Regression: issue 20 item 2. Common mistakes on the command line get the answer a person expects: a negative size
// says sizes are positive, `--wait 30` asks for a unit (as docs/cli.md promises: `30` -> use `30s`), and a
// misspelled flag gets a "did you mean" as a misspelled command does. All are usage errors (exit 2), run nothing.
import { describe, expect, it } from 'vitest';
import { newStateDir, runCliInProcess } from '../helpers/cli.js';

const run = (args: readonly string[]) => runCliInProcess([...args, '--simulate'], { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', VBOX_BALLOON_STATE_DIR: newStateDir() });

describe('common mistakes', () => {
  it.each([
    [['set', 'web-1', '-5'], '"-5"'],
    [['reclaim', '-1G'], '"-1G"'],
    [['set', 'web-1', '-1.5G', '--dry-run'], '"-1.5G"'],
  ])('%j says the size must be positive', async (args, word) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(word);
    expect(r.stderr).toContain('must be positive');
    expect(r.stderr).not.toContain('unknown flag');
  });

  it('an unknown flag that is not a number is still an unknown flag', async () => {
    const r = await run(['status', '--bogus']);
    expect(r.stderr).toContain('unknown flag --bogus');
  });

  it('`set web-1 1G --wait 30` asks for a unit, as the docs promise', async () => {
    const r = await run(['set', 'web-1', '1G', '--wait', '30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--wait "30"');
    expect(r.stderr).toContain('30s');
    expect(r.stderr).not.toContain('unexpected argument');
  });

  it('a number after --wait is still the SIZE when the SIZE is missing', async () => {
    const r = await run(['set', 'web-1', '--wait', '512', '--dry-run']);
    expect(r.stderr).toContain('--wait has nothing to wait for with --dry-run'); // 512 was taken as SIZE
    const ok = await run(['set', 'web-1', '--wait', '512']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('512 MB');
  });

  it.each([
    [['status', '--simulat'], '--simulate'],
    [['set', 'web-1', '1G', '--dry-rn'], '--dry-run'],
    [['plan', '--polcy', 'budget'], '--policy'],
  ])('%j gets "did you mean %s"', async (args, flag) => {
    const r = await runCliInProcess(args, { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', VBOX_BALLOON_STATE_DIR: newStateDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`did you mean ${flag}?`);
  });

  it('a flag far from every known one gets no guess', async () => {
    const r = await run(['status', '--zzzzzzzz']);
    expect(r.stderr).toContain('unknown flag --zzzzzzzz');
    expect(r.stderr).not.toContain('did you mean');
  });
});
