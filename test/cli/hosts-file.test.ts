// The hosts file (--hosts FILE) and how --host and --hosts make one list of hosts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseHostsFile } from '../../src/cli/fleet/hosts-file.js';
import { selectHosts } from '../../src/cli/fleet/host-targets.js';

const dir = mkdtempSync(join(tmpdir(), 'vbb-hosts-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('parseHostsFile', () => {
  it('reads names and targets, skips comments and blank lines, and names an unnamed host HOST[:PORT]', () => {
    const text = ['# lab hosts', '', 'lab-1 ssh://vbox@lab-1.example.net   # rack 3', '  lab-2\tssh://vbox@lab-2.example.net:2222', 'ssh://vbox@lab-3.example.net:22', 'ssh://[2001:db8::1]:2200', ''].join('\n');
    const hosts = parseHostsFile(text, 'hosts.txt')._unsafeUnwrap();
    expect(hosts.map((h) => [h.name, h.target, h.from, h.named])).toEqual([
      ['lab-1', 'ssh://vbox@lab-1.example.net', 'hosts.txt:3', true],
      ['lab-2', 'ssh://vbox@lab-2.example.net:2222', 'hosts.txt:4', true],
      ['lab-3.example.net:22', 'ssh://vbox@lab-3.example.net:22', 'hosts.txt:5', false],
      ['[2001:db8::1]:2200', 'ssh://[2001:db8::1]:2200', 'hosts.txt:6', false],
    ]);
  });

  it.each([
    ['an Ansible group header', 'lab-1 ssh://a\n[vbox]\n', /^hosts\.txt:2: "\[vbox\]" is not an ssh:\/\/ target; write NAME ssh:\/\/USER@HOST\[:PORT\] or only ssh:\/\/USER@HOST\[:PORT\], e\.g\. "lab-1 ssh:\/\/vbox@lab-1\.example\.net:22"$/u],
    ['a bare host name', 'lab-1.example.net\n', /^hosts\.txt:1: "lab-1\.example\.net" is not an ssh:\/\/ target; write NAME/u],
    ['Ansible variables', 'lab-1 ansible_host=10.0.0.1 ansible_user=vbox\n', /^hosts\.txt:1: 3 fields where a host line has one or two/u],
    ['a bad name', '-x ssh://vbox@lab-1\n', /^hosts\.txt:1: "-x" is not a host name/u],
    ['a target ssh would read as an option', 'lab-1 ssh://-oProxyCommand=x\n', /^hosts\.txt:1: "ssh:\/\/-oProxyCommand=x" is not an ssh target; write NAME/u],
    ['a port out of range', 'lab-1 ssh://vbox@lab-1:70000\n', /^hosts\.txt:1: "ssh:\/\/vbox@lab-1:70000" is not an ssh target/u],
    ['a name twice', 'lab-1 ssh://a\n\nlab-1 ssh://b\n', /^hosts\.txt:3: the name "lab-1" is already on line 1; give each host its own name$/u],
    ['a host twice', 'lab-1 ssh://vbox@a:22\nlab-2 ssh://vbox@a:22\n', /^hosts\.txt:2: ssh:\/\/vbox@a:22 is already on line 1; list each host once$/u],
    ['an unnamed host twice', 'ssh://vbox@a\nssh://vbox@a\n', /^hosts\.txt:2: the name "a" is already on line 1/u],
    ['no host at all', '# nothing yet\n\n', /^--hosts "hosts\.txt" names no host; write NAME/u],
  ])('refuses %s with FILE:LINE and a good example', (_, text, message) => {
    expect(parseHostsFile(text, 'hosts.txt')._unsafeUnwrapErr()).toMatch(message);
  });
});

describe('selectHosts: --host and --hosts as one list', () => {
  it('one --host is one host, not a fleet; two are a fleet; a hosts file of one host is a fleet', async () => {
    expect((await selectHosts(['ssh://vbox@lab-1'], []))._unsafeUnwrap()).toMatchObject({ fleet: false, hosts: [{ name: 'lab-1' }] });
    expect((await selectHosts(['ssh://vbox@lab-1', 'ssh://vbox@lab-2:2222'], []))._unsafeUnwrap()).toMatchObject({ fleet: true, hosts: [{ name: 'lab-1' }, { name: 'lab-2:2222' }] });
    expect((await selectHosts([], [file('one.txt', 'lab-1 ssh://vbox@lab-1\n')]))._unsafeUnwrap()).toMatchObject({ fleet: true, hosts: [{ name: 'lab-1' }] });
    expect((await selectHosts([], []))._unsafeUnwrap()).toEqual({ fleet: false, hosts: [] });
  });

  it('the same host twice is one host; a host also in the file takes the name the file gives it', async () => {
    const f = file('two.txt', 'lab-1 ssh://vbox@lab-1.example.net\nlab-2 ssh://vbox@lab-2.example.net\n');
    const r = (await selectHosts(['ssh://vbox@lab-1.example.net', 'ssh://vbox@lab-9', 'ssh://vbox@lab-9'], [f, f]))._unsafeUnwrap();
    expect(r.hosts.map((h) => [h.name, h.from])).toEqual([
      ['lab-1', `${f}:1`],
      ['lab-9', '--host'],
      ['lab-2', `${f}:2`],
    ]);
  });

  it.each<[string, string[], string[], RegExp]>([
    ['one name for two targets', ['ssh://a@lab-1', 'ssh://b@lab-1'], [], /^two hosts are called "lab-1": ssh:\/\/a@lab-1 \(--host\) and ssh:\/\/b@lab-1 \(--host\); give them their own names in a hosts file$/u],
    ['one target under two given names', [], ['x.txt', 'y.txt'], /^ssh:\/\/vbox@lab-1 is named twice: "lab-1" \(.*x\.txt:1\) and "first" \(.*y\.txt:1\); list each host once$/u],
    ['a --host that is not a target', ['ssh://-oProxyCommand=x'], [], /^--host "ssh:\/\/-oProxyCommand=x" is not a host; use e\.g\. ssh:\/\/vbox@lab-1:22$/u],
    ['a hosts file that is missing', [], ['/nonexistent/hosts.txt'], /^--hosts "\/nonexistent\/hosts\.txt" cannot be read \(ENOENT\)$/u],
    ['a hosts file that is a folder', [], ['/tmp'], /^--hosts "\/tmp" is not a file$/u],
  ])('refuses %s', async (_, targets, files, message) => {
    file('x.txt', 'lab-1 ssh://vbox@lab-1\n');
    file('y.txt', 'first ssh://vbox@lab-1\n');
    const paths = files.map((f) => (f.startsWith('/') ? f : join(dir, f)));
    expect((await selectHosts(targets, paths))._unsafeUnwrapErr()).toMatch(message);
  });
});
