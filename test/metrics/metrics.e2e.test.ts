import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { InMemoryVBoxManageClient, planBalloons, type TickEvent } from '../../src/index.js';
import { balloonMetrics, METRIC_NAMES, parseListenAddress, serveMetrics, type BalloonMetrics } from '../../src/metrics/index.js';

function promtool(args: string[], input?: string): { status: number | null; out: string } {
  const r = spawnSync('promtool', args, { input, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

async function checked(registry: Registry): Promise<string> {
  const text = await registry.metrics();
  const r = promtool(['check', 'metrics'], text);
  expect(r.out).toBe('');
  expect(r.status).toBe(0);
  return text;
}

function make(host = 'lab-1'): { registry: Registry; m: BalloonMetrics } {
  const registry = new Registry();
  const m = balloonMetrics({ registry, host });
  if (m.isErr()) throw new Error(m.error.message);
  return { registry, m: m.value };
}

const vm = (name: string, uuid: string, balloonMb: number, guestFreeMb: number | null = 2000) => ({
  name, uuid, memoryMb: 4096, balloonMb, requestedMb: 0, guestFreeMb, guestTotalMb: guestFreeMb === null ? null : 4000,
});

function tick(n: number, vms: ReturnType<typeof vm>[], extra: Partial<TickEvent> = {}): TickEvent {
  const entries = vms.map((v) => ({ vm: v.name, fromMb: v.balloonMb, toMb: v.balloonMb + 100, deltaMb: 100, reason: '' }));
  const snapshot = { host: { totalMb: 32768, freeMb: 8000 }, vms };
  const { memory } = planBalloons(snapshot, { kind: 'budget', budgetMb: 6000 });
  return {
    tick: n, time: 1_700_000_000_000 + n * 1000,
    snapshot,
    plan: { policy: 'budget', entries, budget: { budgetMb: 6000, backingBeforeMb: 0, backingAfterMb: 0 }, memory },
    applied: entries, maybeApplied: [], errors: [], ...extra,
  };
}

const value = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('balloonMetrics', () => {
  it('counts guests that pushed back and gauges those cooling down (issue 23)', async () => {
    const { registry, m } = make();
    m.onTick(tick(1, [vm('web-1', 'u1', 100)]));
    let text = await checked(registry);
    expect(value(text, 'vbox_balloon_guest_pushbacks_total{host="lab-1"}')).toBe(0);
    expect(value(text, 'vbox_balloon_guests_cooling_down{host="lab-1"}')).toBe(0);
    m.onTick(tick(2, [vm('web-1', 'u1', 100), vm('db-1', 'u2', 300)], { pushedBack: ['web-1', 'db-1'], coolingDown: ['web-1', 'db-1'] }));
    m.onTick(tick(3, [vm('web-1', 'u1', 100), vm('db-1', 'u2', 300)], { pushedBack: [], coolingDown: ['db-1'] }));
    text = await checked(registry);
    expect(value(text, 'vbox_balloon_guest_pushbacks_total{host="lab-1"}')).toBe(2);
    expect(value(text, 'vbox_balloon_guests_cooling_down{host="lab-1"}')).toBe(1);
  });

  it('exposes backing, budget and per-VM series that promtool accepts, hostile names included', async () => {
    const { registry, m } = make();
    const hostile = '-x "$(rm -rf /)"\nweb\\1';
    m.onTick(tick(1, [vm('web-1', 'u1', 100), vm(hostile, 'u2', 300, null)]));
    const text = await checked(registry);
    // The hostile VM reports no statistics: it cannot balloon, so all of its RAM counts (the host-memory model).
    expect(value(text, 'vbox_balloon_guest_backing_bytes{host="lab-1"}')).toBe((4096 - 100 + 4096) * 1048576);
    expect(value(text, 'vbox_balloon_budget_bytes{host="lab-1"}')).toBe(6000 * 1048576);
    expect(value(text, 'vbox_balloon_headroom_bytes{host="lab-1"}')).toBe(0);
    expect(value(text, 'vbox_balloon_vm_balloon_target_bytes{host="lab-1",vm="web-1"}')).toBe(200 * 1048576);
    expect(value(text, 'vbox_balloon_vm_balloon_max_bytes{host="lab-1",vm="web-1"}')).toBe(3685 * 1048576);
    expect(value(text, 'vbox_balloon_changes_total{host="lab-1",kind="live",direction="inflate"}')).toBe(2);
    expect(text).toContain('vm="-x \\"$(rm -rf /)\\"\\nweb\\\\1"');
    // A guest that does not report has no guest series rather than a stale or NaN one.
    expect(text).not.toMatch(/vbox_balloon_vm_guest_free_bytes\{host="lab-1",vm="-x/u);
  });

  it('removes a VM that went away, and keeps names apart by UUID', async () => {
    const { registry, m } = make();
    m.onTick(tick(1, [vm('a', 'u1', 0), vm('b', 'u2', 0)]));
    m.onTick(tick(2, [vm('b', 'u2', 100)]));
    let text = await checked(registry);
    expect(text).not.toContain('vm="a"');
    expect(text).toContain('vm="b"');
    m.onTick(tick(3, [vm('same', 'u3', 0), vm('same', 'u4', 0)]));
    text = await checked(registry);
    expect(text).not.toContain('vm="b"');
    expect(text).toContain('vm="same (u3)"');
    expect(text).toContain('vm="same (u4)"');
  });

  it('counts failed ticks and failed changes by code, and survives garbage events', async () => {
    const { registry, m } = make();
    const error = { code: 'VM_LOCKED', message: 'locked', vm: 'a' } as never;
    const t = tick(1, [vm('a', 'u1', 0)]);
    m.onTick({ ...t, applied: [], errors: [{ vm: 'a', error }] });
    m.onTick({ tick: 2, time: 0, snapshot: null, plan: null, applied: [], maybeApplied: [], errors: [{ vm: null, error: { code: 'TIMEOUT' } as never }] });
    for (const junk of [null, 'x', 42, { snapshot: { vms: [null, { uuid: 7 }, { uuid: 'z', memoryMb: Number.NaN }] } }, { errors: 'no' }]) {
      expect(() => { m.onTick(junk as never); m.onEvent(junk as never); m.onCommand(junk as never); }).not.toThrow();
    }
    const text = await checked(registry);
    expect(value(text, 'vbox_balloon_change_failures_total{host="lab-1",code="VM_LOCKED"}')).toBe(1);
    expect(value(text, 'vbox_balloon_tick_failures_total{host="lab-1",code="TIMEOUT"}')).toBe(1);
    expect(text).not.toMatch(/NaN/u);
  });

  it('counts VBoxManage invocations by command, never by VM name', async () => {
    const { registry, m } = make();
    m.onCommand({ argv: ['controlvm', 'secret-vm', 'guestmemoryballoon', '512'], exitCode: 0, durationMs: 40, attempt: 1 });
    m.onCommand({ argv: ['showvminfo', 'secret-vm', '--machinereadable'], exitCode: 1, durationMs: 20, attempt: 2 });
    m.onCommand({ argv: ['__proto__'], exitCode: null, durationMs: Number.NaN, attempt: 1 });
    const text = await checked(registry);
    expect(text).not.toContain('secret-vm');
    expect(value(text, 'vbox_balloon_vboxmanage_invocations_total{host="lab-1",command="controlvm guestmemoryballoon",result="ok"}')).toBe(1);
    expect(value(text, 'vbox_balloon_vboxmanage_retries_total{host="lab-1",command="showvminfo"}')).toBe(1);
    expect(value(text, 'vbox_balloon_vboxmanage_invocations_total{host="lab-1",command="other",result="killed"}')).toBe(1);
  });

  it('counts a controller change once even when the next tick also reports it', async () => {
    const { registry, m } = make();
    m.onTick(tick(1, [vm('a', 'u1', 0)], { applied: [] }));
    m.onEvent({ type: 'change', change: { vm: 'a', uuid: 'u1', kind: 'live', fromMb: 0, toMb: 100, commands: [], dryRun: false } });
    m.onTick(tick(2, [vm('a', 'u1', 0)]));
    const text = await checked(registry);
    expect(value(text, 'vbox_balloon_changes_total{host="lab-1",kind="live",direction="inflate"}')).toBe(1);
  });

  it('counts a change once when it is made in the tick where the VM is first seen', async () => {
    const { registry, m } = make();
    // The autopilot's first tick: its changes reach onEvent before the tick's snapshot reaches onTick.
    m.onEvent({ type: 'change', change: { vm: 'a', uuid: 'u1', kind: 'live', fromMb: 0, toMb: 100, commands: [], dryRun: false } });
    m.onEvent({ type: 'change', change: { vm: 'b', uuid: 'u2', kind: 'live', fromMb: 0, toMb: 100, commands: [], dryRun: false } });
    m.onTick(tick(1, [vm('a', 'u1', 0), vm('b', 'u2', 0)]));
    const text = await checked(registry);
    expect(value(text, 'vbox_balloon_changes_total{host="lab-1",kind="live",direction="inflate"}')).toBe(2);
  });

  it('refuses bad options and a host registered twice, with INVALID_ARGUMENT', () => {
    const registry = new Registry();
    expect(balloonMetrics({ registry: {} as never })._unsafeUnwrapErr().code).toBe('INVALID_ARGUMENT');
    expect(balloonMetrics({ registry, host: '' })._unsafeUnwrapErr().code).toBe('INVALID_ARGUMENT');
    const first = balloonMetrics({ registry, host: 'h' })._unsafeUnwrap();
    expect(balloonMetrics({ registry, host: 'h' })._unsafeUnwrapErr().argument).toBe('host');
    expect(balloonMetrics({ registry, host: 'other' }).isOk()).toBe(true);
    first.remove();
    expect(balloonMetrics({ registry, host: 'h' }).isOk()).toBe(true);
    expect(parseListenAddress(':9464').isErr()).toBe(true);
    expect(parseListenAddress('[::1]:9464')._unsafeUnwrap()).toEqual({ host: '::1', port: 9464 });
    expect(parseListenAddress('9464')._unsafeUnwrap()).toEqual({ host: '127.0.0.1', port: 9464 });
  });

  it('the alert rules example passes promtool check rules', () => {
    const r = promtool(['check', 'rules', 'docs/prometheus-alerts.yml']);
    expect(r.status).toBe(0);
    expect(r.out).toContain('SUCCESS: 5 rules found');
  });

  it("the Grafana dashboard's queries parse and name only metrics this module exposes", () => {
    const dash = JSON.parse(readFileSync('docs/grafana-dashboard.json', 'utf8')) as { panels: { targets: { expr: string }[] }[] };
    const exprs = dash.panels.flatMap((p) => p.targets.map((t) => t.expr.replaceAll('$__rate_interval', '5m').replaceAll('=~"$host"', '=~".+"')));
    const known = new Set<string>(METRIC_NAMES.flatMap((n) => [n, `${n}_bucket`]));
    for (const e of exprs) for (const name of e.match(/vbox_balloon_[a-z_]+/gu) ?? []) expect(known.has(name), name).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'vbox-balloon-dash-'));
    try {
      const file = join(dir, 'rules.yml');
      writeFileSync(file, `groups:\n  - name: dash\n    rules:\n${exprs.map((e, i) => `      - record: dash:${i}\n        expr: ${JSON.stringify(e)}\n`).join('')}`);
      const r = promtool(['check', 'rules', file]);
      expect(r.out).toContain(`SUCCESS: ${exprs.length} rules found`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function get(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }); });
    }).on('error', reject).end();
  });
}

describe('serveMetrics', () => {
  it('serves /metrics and /healthz on loopback, from the autopilot on the in-memory host', async () => {
    let clock = 1_000;
    const registry = new Registry();
    const m = balloonMetrics({ registry, host: 'sim', now: () => clock })._unsafeUnwrap();
    const server = (await serveMetrics(m, { listen: '127.0.0.1:0', maxTickAgeMs: 5_000 }))._unsafeUnwrap();
    try {
      expect(server.host).toBe('127.0.0.1');
      expect((await get(`${server.url}/healthz`)).status).toBe(200);
      const sim = new InMemoryVBoxManageClient({ vms: [{ name: 'web-1', state: 'running', memoryMb: 4096 }] });
      const events: TickEvent[] = [];
      const { BalloonController } = await import('../../src/index.js');
      const vbox = new BalloonController({ client: sim, onEvent: m.onEvent });
      const handle = vbox.autopilot({ policy: { kind: 'budget', budgetMb: 3000 }, maxTicks: 3, intervalMs: 1, onTick: (e) => { events.push(e); m.onTick(e); } })._unsafeUnwrap();
      await handle.done;
      const res = await get(`${server.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.type).toBe(registry.contentType);
      expect(promtool(['check', 'metrics'], res.body).status).toBe(0);
      const last = events.at(-1);
      const backing = (last?.snapshot?.vms ?? []).reduce((s, v) => s + v.memoryMb - v.balloonMb, 0);
      expect(value(res.body, 'vbox_balloon_guest_backing_bytes{host="sim"}')).toBe(backing * 1048576);
      expect(value(res.body, 'vbox_balloon_ticks_total{host="sim"}')).toBe(3);
      clock += 6_000;
      const stale = await get(`${server.url}/healthz`);
      expect(stale.status).toBe(503);
      expect(stale.body).toContain('over the limit');
      expect((await get(`${server.url}/nope`)).status).toBe(404);
      const busy = await serveMetrics(m, { listen: `127.0.0.1:${server.port}` });
      expect(busy._unsafeUnwrapErr().code).toBe('LISTEN_FAILED');
    } finally {
      await server.close();
    }
  });
});
