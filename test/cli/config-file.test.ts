// The settings file, read in process: each kind of problem is refused with FILE:LINE:COL, the key, a good value and
// the fix, every one at once; a good file gives the values the flags would; a 0.1 limits file is still read.
import { describe, expect, it } from 'vitest';
import { readConfigText } from '../../src/cli/config/read-config.js';
import { configJsonSchema } from '../../src/cli/config/json-schema.js';
import { CONFIG_KEYS } from '../../src/cli/config/config-keys.js';

const problems = (text: string): readonly string[] => {
  const r = readConfigText(text, 'f.yaml');
  return 'problems' in r ? r.problems : [];
};

describe('the settings file', () => {
  it('a good file: scalar keys as the flags would read them, limits in MB, hosts as written', () => {
    const r = readConfigText(
      'version: 1\npolicy: budget\nbudget: 75%\nmax-change: 200\ninterval: 30s\ndry-run: true\nlimits:\n  web-1: { max-balloon: 1G, min-memory: 512M, shares: 2000, enabled: false }\nhosts:\n  - lab-1 ssh://vbox@lab-1.example.net\nmetrics: 127.0.0.1:9464\nstate-dir: /var/lib/x\ndeadband:\n',
      'f.yaml',
    );
    expect(r).toEqual({
      legacy: false,
      values: {
        policy: 'budget',
        budget: '75%',
        'max-change': '200',
        interval: '30s',
        'dry-run': true,
        limits: { 'web-1': { maxBalloonMb: 1024, minMb: 512, shares: 2000, enabled: false } },
        hosts: ['lab-1 ssh://vbox@lab-1.example.net'],
        metrics: '127.0.0.1:9464',
        'state-dir': '/var/lib/x',
      },
    });
  });

  it('every problem at once, in the order of the file, each with FILE:LINE:COL and a good value', () => {
    expect(
      problems('version: 1\npolicy: budget\nintervall: 10s\ndry-run: yes\nbudget: 120%\nincrement: 64M\nmetrics: ":9464"\nstate-dir: relative\nhosts: [ "ftp://x" ]\nlimits:\n  -web: { shares: -1 }\n'),
    ).toEqual([
      'f.yaml:3:1: unknown key "intervall" (did you mean "interval"?); remove it, or see \'vbox-balloon config print\' for the keys',
      'f.yaml:4:10: dry-run "yes" is not true or false; write e.g. "dry-run: true"',
      'f.yaml:5:9: budget "120%" is more than 100%; write e.g. "budget: 80%"',
      'f.yaml:6:1: "increment" is a knob of the balloonctrl policy, and this file sets "policy: budget"; remove it',
      'f.yaml:7:10: metrics ":9464" has no host (say 0.0.0.0 explicitly to listen on every interface); write e.g. "metrics: 127.0.0.1:9464"',
      'f.yaml:8:12: state-dir "relative" is not an absolute path; write e.g. "state-dir: /var/lib/vbox-balloon"',
      'f.yaml:9:10: "ftp://x" is not an ssh:// target; write NAME ssh://USER@HOST[:PORT] or only ssh://USER@HOST[:PORT], e.g. "lab-1 ssh://vbox@lab-1.example.net:22"',
      'f.yaml:11:3: limits key "-web" is not a VM name or UUID (it starts with "-", which VBoxManage would read as an option); name the VM as \'vbox-balloon status\' shows it',
    ]);
  });

  it('what is not a settings file: bad YAML, duplicate keys, no version, another version, not a map, empty', () => {
    expect(problems('version: 1\npolicy: [budget\n')[0]).toMatch(/^f\.yaml:[23]:\d+: this is not valid YAML: /u);
    expect(problems('version: 1\npolicy: budget\npolicy: balloonctrl\n')[0]).toMatch(/^f\.yaml:3:1: this is not valid YAML: Map keys must be unique/u);
    expect(problems('policy: budget\n')).toEqual(['f.yaml:1:1: the file has no "version" key; add "version: 1" at the top']);
    expect(problems('version: 2\npolicy: budget\n')).toEqual(['f.yaml:1:10: version 2 is not a version this vbox-balloon reads; write "version: 1"']);
    expect(problems('- a\n- b\n')[0]).toMatch(/^f\.yaml:1:1: the file is not a map of keys/u);
    expect(problems('')[0]).toMatch(/^f\.yaml:1:1: the file is empty/u);
    expect(problems('version: 1\nlimits:\n  web-1: 1024\n')).toEqual(['f.yaml:3:10: limits of "web-1" is not a map; write e.g. "web-1: { max-balloon: 1G, min-memory: 512M, shares: 2000, enabled: true }"']);
    expect(problems('version: 1\ninterval: { a: 1 }\n')).toEqual(['f.yaml:2:11: interval is a map where one value goes; write e.g. "interval: 30s"']);
  });

  it("vbox-balloon 0.1's JSON limits file is read as limits (checked by the SDK), marked legacy", () => {
    expect(readConfigText('{"web-1": {"maxBalloonMb": 1024}}', 'l.json')).toEqual({ legacy: true, values: { limits: { 'web-1': { maxBalloonMb: 1024 } } } });
    expect(problems('{"web-1": {"maxBaloonMb": 1024}}'.replace('f.yaml', ''))[0]).toMatch(/maxBaloonMb/u);
  });

  it('the JSON Schema names every key, and only them', () => {
    const schema = configJsonSchema() as { properties: Record<string, unknown>; additionalProperties: boolean; required: string[] };
    expect(Object.keys(schema.properties).sort()).toEqual(['version', ...CONFIG_KEYS.map((k) => k.key)].sort());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['version']);
  });
});
