// Host names are compared without regard to case: `ssh://LOCALHOST:1` and `ssh://localhost:1` are one host, never
// two autopilots on one machine; two names that differ only in case are one name.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectHosts } from '../../src/cli/fleet/host-targets.js';
import { parseHostsFile } from '../../src/cli/fleet/hosts-file.js';

describe('host names in any case', () => {
  it('--host targets that differ only in the host name\'s case are one host', async () => {
    const r = (await selectHosts(['ssh://LOCALHOST:1', 'ssh://localhost:1', 'ssh://vbox@Lab-1.Example.NET'], []))._unsafeUnwrap();
    expect(r.hosts.map((h) => h.target)).toEqual(['ssh://LOCALHOST:1', 'ssh://vbox@Lab-1.Example.NET']);
    expect(r.fleet).toBe(true);
    expect((await selectHosts(['ssh://LOCALHOST:1', 'ssh://localhost:1'], []))._unsafeUnwrap().fleet).toBe(false);
  });

  it('a hosts file that lists one host twice in different case, or one name twice in different case, is refused', () => {
    expect(parseHostsFile('a ssh://LOCALHOST:1\nb ssh://localhost:1\n', 'h.txt')._unsafeUnwrapErr()).toMatch(/h\.txt:2: .* is already on line 1/u);
    expect(parseHostsFile('Lab ssh://a:1\nlab ssh://b:1\n', 'h.txt')._unsafeUnwrapErr()).toMatch(/h\.txt:2: the name "lab" is already on line 1/u);
  });

  it('a --host also in a hosts file in other case is the file\'s host', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'host-case-')), 'hosts');
    writeFileSync(file, 'lab-1 ssh://vbox@lab-1:22\n');
    const r = (await selectHosts(['ssh://vbox@LAB-1:22'], [file]))._unsafeUnwrap();
    expect(r.hosts.map((h) => h.name)).toEqual(['lab-1']);
  });

  it('the user name keeps its case (users are case-sensitive)', () => {
    expect(parseHostsFile('a ssh://Vbox@lab-1\nb ssh://vbox@lab-1\n', 'h.txt')._unsafeUnwrap()).toHaveLength(2);
  });
});
