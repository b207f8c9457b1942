// Regression: issue 20 item 3. Shell completion for bash, zsh and fish from the one command table; `version` works
// as --version does; the overview lists the global flags.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { GLOBAL_FLAGS } from '../../src/cli/global-flags.js';
import { newStateDir, runCliInProcess as runInProcess } from '../helpers/cli.js';

const env = (): Record<string, string> => ({ VBOX_BALLOON_STATE_DIR: newStateDir() });

// What bash offers for the words typed so far (the last one being completed).
function bashComplete(script: string, typed: readonly string[]): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'vbb-completion-')), 'vbox-balloon.bash');
  writeFileSync(file, script);
  const words = typed.map((w) => `'${w}'`).join(' ');
  const out = execFileSync('bash', ['-c', `source '${file}'; COMP_WORDS=(${words}); COMP_CWORD=${typed.length - 1}; _vbox_balloon; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '');
}

describe('completion', () => {
  it.each(['bash', 'zsh', 'fish'])('%s: every command and every flag of the table', async (shell) => {
    const r = await runInProcess(['completion', shell], env());
    expect(r.code).toBe(0);
    for (const c of COMMANDS) {
      expect(r.stdout).toContain(c.name);
      for (const flag of Object.keys(c.flags)) expect(r.stdout, `${c.name} --${flag}`).toMatch(new RegExp(`(?:--|-l )${flag}\\b`, 'u'));
    }
    for (const flag of Object.keys(GLOBAL_FLAGS)) expect(r.stdout).toMatch(new RegExp(`(?:--|-l )${flag}\\b`, 'u'));
  });

  it('bash: the script parses, and completes commands and the flags of the command typed', async () => {
    const { stdout } = await runInProcess(['completion', 'bash'], env());
    expect(bashComplete(stdout, ['vbox-balloon', 'sta'])).toEqual(['status', 'start']);
    expect(bashComplete(stdout, ['vbox-balloon', 'start', 'spare-1', '--ke'])).toEqual(['--keep-free', '--keep-free-percent']);
    expect(bashComplete(stdout, ['vbox-balloon', 'reclaim', '--from', ''])).toEqual([]); // a flag's value: no flag offered
    expect(bashComplete(stdout, ['vbox-balloon', 'set', 'web-1', '1G', '--wa'])).toEqual(['--wait']);
  });

  it('an unknown shell is a usage error', async () => {
    const r = await runInProcess(['completion', 'tcsh'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bash, zsh or fish');
  });
});

describe('version and the overview', () => {
  it('vbox-balloon version prints what --version prints', async () => {
    const a = await runInProcess(['version'], env());
    const b = await runInProcess(['--version'], env());
    expect(a).toEqual({ code: 0, stdout: b.stdout, stderr: '' });
    expect(JSON.parse((await runInProcess(['version', '--json'], env())).stdout)).toEqual(JSON.parse((await runInProcess(['--version', '--json'], env())).stdout));
  });

  it('the overview lists the global flags', async () => {
    const r = await runInProcess(['--help'], env());
    for (const flag of ['--json', '-q', '-v', '--no-color', '--host', '--hosts', '--simulate']) expect(r.stdout).toContain(flag);
    expect(r.stdout).toMatch(/completion +Print a shell completion script/u);
  });
});
