// A real prometheus (Debian's package) scrapes the autopilot's /metrics on loopback every second.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { expect, it } from 'vitest';
import { BalloonController, type AutopilotClock, type TickEvent } from '../../src/index.js';
import { balloonMetrics, serveMetrics } from '../../src/metrics/index.js';
import { sixVmHost, steady } from '../autopilot/simulation.js';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => { resolve(typeof a === 'object' && a !== null ? a.port : 0); });
    });
  });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Sample { readonly t: number; readonly v: number }

async function samples(base: string, query: string): Promise<Sample[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { data?: { result?: { values?: [number, string][] }[] } };
  return (body.data?.result?.[0]?.values ?? []).map(([t, v]) => ({ t: t * 1000, v: Number(v) }));
}

it('prometheus scrapes backing and a per-VM balloon equal to what the autopilot reported', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vbox-balloon-prom-'));
  const registry = new Registry();
  const m = balloonMetrics({ registry, host: 'e2e' })._unsafeUnwrap();
  const server = (await serveMetrics(m, { listen: '127.0.0.1:0' }))._unsafeUnwrap();
  const promPort = await freePort();
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: vbox\n    static_configs: [{ targets: ['127.0.0.1:${server.port}'] }]\n`,
  );
  const prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => prom.once('exit', () => { r(); }));
  const base = `http://127.0.0.1:${promPort}`;
  // Virtual workload, real time: each tick sleeps 200 ms and moves the simulated host on by 10 s.
  const sim = sixVmHost(steady);
  const clock: AutopilotClock = { now: () => Date.now(), sleep: async (ms, signal) => { await sleep(200); sim.advanceTime(ms); return signal?.aborted !== true; } };
  const events: TickEvent[] = [];
  const vbox = new BalloonController({ client: sim, onEvent: m.onEvent });
  const handle = vbox.autopilot({ policy: { kind: 'budget', budgetMb: 20_000 }, intervalMs: 10_000, clock, onTick: (e) => { events.push(e); m.onTick(e); } })._unsafeUnwrap();
  try {
    // Scraped while running: wait until prometheus holds a sample (prometheus says when, not a guessed delay).
    while ((await samples(base, 'vbox_balloon_guest_backing_bytes{host="e2e"}[1m]').catch(() => [])).length === 0) await sleep(100);
    handle.stop();
    await handle.done;
    const stoppedAt = Date.now();
    const last = events.at(-1);
    const backingMb = (last?.snapshot?.vms ?? []).reduce((s, v) => s + v.memoryMb - v.balloonMb, 0);
    const db = last?.snapshot?.vms.find((v) => v.name === 'db-1');
    const reported = new Set(events.map((e) => (e.snapshot?.vms ?? []).reduce((s, v) => s + v.memoryMb - v.balloonMb, 0) * 1048576));
    let backing: Sample[] = [];
    for (let i = 0; i < 100; i++) {
      backing = await samples(base, 'vbox_balloon_guest_backing_bytes{host="e2e"}[1m]').catch(() => []);
      if (backing.filter((s) => s.t > stoppedAt).length >= 2) break;
      await sleep(200);
    }
    expect(backing.filter((s) => s.t > stoppedAt).length).toBeGreaterThanOrEqual(2);
    for (const s of backing) expect(reported.has(s.v)).toBe(true);
    expect(backing.at(-1)?.v).toBe(backingMb * 1048576);
    const balloon = await samples(base, 'vbox_balloon_vm_balloon_bytes{host="e2e",vm="db-1"}[1m]');
    expect(balloon.at(-1)?.v).toBe((db?.balloonMb ?? -1) * 1048576);
  } finally {
    handle.stop();
    await handle.done;
    prom.kill('SIGTERM');
    const killer = setTimeout(() => prom.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
    await server.close();
    expect(existsSync(`/proc/${String(prom.pid)}`)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  }
});
