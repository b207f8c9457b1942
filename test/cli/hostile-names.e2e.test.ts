// Bidi and C1 control characters in VM names (U+202E, U+2066, U+0080–U+009F, U+009B CSI) never reach the terminal
// raw: every command escapes them wherever it prints a name, in text and in JSON.
import { describe, expect, it } from 'vitest';
import { fakeWorld } from '../helpers/stand-in.js';
import { safe, safeLine } from '../../src/cli/text.js';
import { cliEnv, runCliInProcess as runCli } from '../helpers/cli.js';


const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const NAMES = ['rtl\u202egnp.exe', 'iso\u2066late', 'csi\u009b31m', 'c1\u0085next', 'bell\u0007'];

describe('hostile names', { timeout: 90_000 }, () => {
  it('safe and safeLine escape bidi and C1 characters (quoted names too)', () => {
    for (const n of NAMES) {
      expect(safe(n), JSON.stringify(n)).not.toMatch(RAW);
      expect(safeLine(n), JSON.stringify(n)).not.toMatch(RAW);
    }
    expect(safe('rtl\u202egnp')).toBe('"rtl\\u202egnp"');
    expect(safe('plain')).toBe('plain');
  });

  it('status, plan, set and their --json print no raw control or bidi character', async () => {
    const fake = fakeWorld({ vms: NAMES.map((name) => ({ name, state: 'running' as const, memoryMb: 4096, usedMb: 512 })) });
    const runs = [
      ['status'],
      ['status', '--json'],
      ['plan', '--policy', 'budget', '--budget', '10%'],
      ['plan', '--policy', 'budget', '--budget', '10%', '--json'],
      ['set', 'rtl\u202egnp.exe', '100'],
      ['set', 'csi\u009b31m', '100', '--json'],
      ['set', 'nope\u202e', '100'],
    ];
    for (const args of runs) {
      const r = await runCli(args, cliEnv(fake));
      expect(r.stdout, args.join(' ')).not.toMatch(RAW);
      expect(r.stderr, args.join(' ')).not.toMatch(RAW);
    }
    const j = await runCli(['status', '--json'], cliEnv(fake));
    // Escaped in the text, the same names once parsed.
    expect((JSON.parse(j.stdout) as { name: string }[]).map((v) => v.name).sort()).toEqual([...NAMES].sort());
  });
});
