// Refusals honour --json and -q: the error always reaches stderr, and with --json stdout gets the error document.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeWorld } from '../helpers/stand-in.js';
import { cliEnv, runCliInProcess as runCli } from '../helpers/cli.js';

let busy: Server;
let busyPort = 0;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as { port: number }).port;
}, 60_000);
afterAll(() => {
  busy.close();
});

const freePort = async (): Promise<number> => {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => { resolve(); }));
  return port;
};

describe('refusals with --json and -q', { timeout: 90_000 }, () => {
  it('autopilot on a host that cannot balloon: exit 3, the reason on stderr even with -q, the error document with --json', async () => {
    const fake = fakeWorld({ host: { os: 'Darwin', osVersion: '23.1.0' }, vms: [{ name: 'vm', state: 'running' }] });
    const q = await runCli(['autopilot', '--policy', 'budget', '-q'], cliEnv(fake));
    expect(q.code).toBe(3);
    expect(q.stderr).toMatch(/^error: This host cannot balloon/mu);
    const j = await runCli(['autopilot', '--policy', 'budget', '--json', '-q'], cliEnv(fake));
    expect(j.code).toBe(3);
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: 'HOST_UNSUPPORTED', message: expect.stringMatching(/cannot balloon/u) as unknown } });
    expect(j.stderr).toMatch(/cannot balloon/u);
  });

  it('a metrics port in use: exit 1, said on stderr even with -q, the error document with --json', async () => {
    const q = await runCli(['autopilot', '--simulate', '--policy', 'budget', '--metrics', `127.0.0.1:${busyPort}`, '-q'], cliEnv(null));
    expect(q.code).toBe(1);
    expect(q.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+.*EADDRINUSE|address already in use/u);
    const j = await runCli(['autopilot', '--simulate', '--policy', 'budget', '--metrics', `127.0.0.1:${busyPort}`, '--json'], cliEnv(null));
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ error: { code: 'LISTEN_FAILED' } });
  });

  it('unreachable fleet hosts: exit 9, every host on stderr, and one error document naming them with --json', async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'refusals-')), 'ssh_config');
    writeFileSync(config, 'StrictHostKeyChecking yes\nUserKnownHostsFile /dev/null\n');
    const [p1, p2] = [await freePort(), await freePort()];
    const args = ['autopilot', '--policy', 'budget', '--host', `ssh://nobody@127.0.0.1:${p1}`, '--host', `ssh://nobody@127.0.0.1:${p2}`, '--ssh-config', config];
    const j = await runCli([...args, '--json', '-q'], cliEnv(null));
    expect(j.code).toBe(9);
    const doc = JSON.parse(j.stdout) as { error: { code: string; hosts: { host: string; ok: boolean }[] } };
    expect(doc.error.code).toBe('SSH_FAILED');
    expect(doc.error.hosts.map((h) => h.host)).toEqual([`127.0.0.1:${p1}`, `127.0.0.1:${p2}`]);
    expect(j.stderr).toMatch(/Nothing started/u);
  });
});
