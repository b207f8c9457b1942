// --metrics addresses are read strictly: a number that the resolver would read as an IPv4 address (`0`, `0x0`, `0.0`)
// is refused, a bind beyond loopback is said with the bound address, and a scrape is bounded and never echoes errors.
import { request } from 'node:http';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseListenAddress, serveMetrics } from '../../src/metrics/index.js';
import { cliEnv, runCliInProcess as runCli } from '../helpers/cli.js';


const get = (url: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    })
      .on('error', reject)
      .end();
  });
const health = () => ({ isErr: () => false }) as never;

describe('strict metrics addresses', { timeout: 60_000 }, () => {
  it('refuses hosts the resolver would read as partial or hex IPv4 addresses', () => {
    for (const a of ['0:9464', '0x0:9464', '0.0:9464', '127.1:9464', '1.0x7f:9464', 'host.0:9464', '010.0.0.1:9464', '0x7f000001:9464']) {
      expect(parseListenAddress(a).isErr(), a).toBe(true);
    }
    for (const [a, host] of [['0.0.0.0:9464', '0.0.0.0'], ['127.0.0.1:1', '127.0.0.1'], ['localhost:1', 'localhost'], ['metrics-1.lab:1', 'metrics-1.lab'], ['2fast.lab:1', '2fast.lab']]) {
      expect(parseListenAddress(a)._unsafeUnwrap().host, a).toBe(host);
    }
  });

  it('the autopilot says when it listens beyond loopback, with the bound address, even with -q', async () => {
    const r = await runCli(['autopilot', '--simulate', '--policy', 'budget', '--max-ticks', '1', '--metrics', '0.0.0.0:0', '-q'], cliEnv(null));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Metrics on http:\/\/0\.0\.0\.0:\d+\/metrics, listening on every interface: anyone who can reach this machine/u);
    const q = await runCli(['autopilot', '--simulate', '--policy', 'budget', '--max-ticks', '1', '--metrics', '0:0'], cliEnv(null));
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/not a whole IPv4 address/u);
  });

  it('a collector that never answers gets a 503 after collectTimeoutMs; a failing one a 500 without its text', async () => {
    const never = { registry: { metrics: () => new Promise<string>(() => undefined), contentType: 'text/plain' }, health } as never;
    const slow = (await serveMetrics(never, { listen: '127.0.0.1:0', collectTimeoutMs: 50 }))._unsafeUnwrap();
    try {
      expect(slow.loopback).toBe(true);
      const r = await get(`${slow.url}/metrics`);
      expect(r.status).toBe(503);
      expect(r.body).toMatch(/took longer than 50 ms/u);
    } finally {
      await slow.close();
    }
    const failing = { registry: { metrics: () => Promise.reject(new Error('secret /home/ops/vm-7 path')), contentType: 'text/plain' }, health } as never;
    const bad = (await serveMetrics(failing, { listen: '127.0.0.1:0' }))._unsafeUnwrap();
    try {
      const r = await get(`${bad.url}/metrics`);
      expect(r.status).toBe(500);
      expect(r.body).not.toContain('secret');
    } finally {
      await bad.close();
    }
    expect((await serveMetrics({ registry: new Registry(), health }, { collectTimeoutMs: 0 })).isErr()).toBe(true);
  });
});
