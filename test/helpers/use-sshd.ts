// The one way a test file gets a private sshd (or several): started before its tests and stopped after them, with
// the clients the tests made closed and no ssh process of ours left behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { noSshLeft } from './leftovers.js';
import { startSshd, type TestSshd } from './sshd.js';

export interface SshdForTests {
  /** The server, or the i-th of several (only inside tests and hooks: they start in beforeAll). */
  readonly sshd: (i?: number) => TestSshd;
  /** A private directory for one connection shared by all the file's clients. */
  readonly controlDir: () => string;
  /** Close this client (its shared connection) when the file is done. */
  track<C extends { close(): unknown }>(client: C): C;
}

export function useTestSshd(options: { readonly servers?: number } = {}): SshdForTests {
  let servers: TestSshd[] = [];
  let dir: string | undefined;
  const clients: { close(): unknown }[] = [];
  beforeAll(async () => {
    servers = await Promise.all(Array.from({ length: options.servers ?? 1 }, () => startSshd()));
    dir = mkdtempSync('/tmp/vbb-');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    await Promise.all(servers.map((s) => s.stop()));
    expect(await noSshLeft()).toEqual([]);
  }, 30_000);
  const must = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`${what} is only there inside tests`);
    return v;
  };
  return {
    sshd: (i = 0) => must(servers[i], 'the test sshd'),
    controlDir: () => must(dir, 'the control directory'),
    track: (client) => {
      clients.push(client);
      return client;
    },
  };
}
