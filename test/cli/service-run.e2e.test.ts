// The autopilot as a service, the built CLI on the stand-in: started from a settings file, reloaded on SIGHUP (a bad
// file keeps the settings in force), stopped by SIGTERM after the tick in progress (exit 0), killed and restarted
// without moving a balloon, and carrying on by itself after VBoxSVC was gone for a while.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateFileName } from '../../src/cli/service/autopilot-state.js';
import { balloonCalls, liveBalloon, serviceFiles, serviceWorld, startService } from '../helpers/service.js';

const BASE = 'policy: budget\nbudget: 10G\nmax-change: 200M\ninterval: 100ms\n';
const CHANGE = /^\S+ (web-1|web-2|db-1): balloon \d+ -> \d+ MB/u;
const TICK = /^\S+ debug: tick \d+:/u;

describe('the autopilot as a service', { timeout: 120_000 }, () => {
  it('logs decisions, reloads on SIGHUP (a bad file is refused and changes nothing), and SIGTERM ends it after the tick, exit 0', async () => {
    const fake = serviceWorld();
    const files = serviceFiles(BASE);
    const svc = startService(['--config', files.config, '--state-dir', files.stateDir], fake);
    await svc.line(/Autopilot started: budget policy, every 100 ms, this host, settings from .*vbox\.yaml, state in /u);
    await svc.line(CHANGE);
    // A good file: what changed is said, and applies from the next tick (steady ticks are logged with debug).
    files.write(`${BASE.replace('interval: 100ms', 'interval: 150ms')}log-level: debug\n`);
    svc.child.kill('SIGHUP');
    const reloaded = await svc.line(/Reloaded .*vbox\.yaml: interval 100ms -> 150ms, log-level info -> debug; from the next tick$/u);
    await svc.line(TICK, reloaded);
    // A bad file: one error line naming the problem; the service goes on with the settings in force.
    files.write(BASE.replace('max-change: 200M', 'max-change: lots'));
    svc.child.kill('SIGHUP');
    const refused = await svc.line(/error: Reload refused, the settings before stay in force: .*vbox\.yaml:4:13: max-change "lots" is not a size; write e\.g\. "max-change: 100M"$/u);
    await svc.line(TICK, refused + 1);
    expect(svc.lines().filter((l) => /Reload/u.test(l))).toHaveLength(2);
    svc.child.kill('SIGTERM');
    expect(await svc.exited).toBe(0);
    const lines = svc.lines();
    const stopping = lines.findIndex((l) => /Stopping after the tick in progress$/u.test(l));
    expect(stopping).toBeGreaterThan(refused);
    expect(lines[lines.length - 1]).toMatch(/Autopilot stopped after \d+ ticks; the balloons stay where they are$/u);
    expect(svc.stderr()).toBe('');
  });

  it('killed (kill -9) and started again on a converged fleet: no balloon moves, and its state is taken up', async () => {
    const fake = serviceWorld();
    const files = serviceFiles(`${BASE}log-level: debug\n`);
    const first = startService(['--config', files.config, '--state-dir', files.stateDir], fake);
    // Converged: ten ticks in a row without a change.
    await first.until(() => {
      const lines = first.lines();
      const last = lines.map((l, i) => (CHANGE.test(l) ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
      return last !== -1 && lines.slice(last).filter((l) => TICK.test(l)).length >= 10;
    });
    first.child.kill('SIGKILL');
    await first.exited;
    const calls = balloonCalls(fake);
    const balloons = ['web-1', 'web-2', 'db-1'].map((vm) => liveBalloon(fake, vm));
    const state = JSON.parse(readFileSync(join(files.stateDir, stateFileName('local')), 'utf8')) as { vms: Record<string, { askedMb: number }> };
    expect(Object.values(state.vms).map((v) => v.askedMb)).toEqual(balloons);
    const second = startService(['--config', files.config, '--state-dir', files.stateDir], fake);
    await second.line(/Resuming from the state of the last run: 3 VMs$/u);
    await second.until(() => second.lines().filter((l) => TICK.test(l)).length >= 5);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(balloonCalls(fake)).toBe(calls);
    expect(['web-1', 'web-2', 'db-1'].map((vm) => liveBalloon(fake, vm))).toEqual(balloons);
  });

  it('--on-exit restore puts back the balloons it changed when it stops', async () => {
    const fake = serviceWorld();
    const files = serviceFiles(`${BASE}on-exit: restore\n`);
    const svc = startService(['--config', files.config, '--state-dir', files.stateDir], fake);
    await svc.until(() => svc.lines().filter((l) => CHANGE.test(l)).length >= 6);
    svc.child.kill('SIGTERM');
    expect(await svc.exited).toBe(0);
    expect(svc.lines().filter((l) => /balloon put back \d+ -> 0 MB$/u.test(l))).toHaveLength(3);
    expect(['web-1', 'web-2', 'db-1'].map((vm) => liveBalloon(fake, vm))).toEqual([0, 0, 0]);
    expect(svc.lines().at(-1)).toMatch(/the balloons it changed were put back$/u);
  });

  it('VBoxSVC gone for a while: failed ticks are logged, less often, /healthz fails after 3; back, it carries on by itself', async () => {
    const fake = serviceWorld();
    const files = serviceFiles(`${BASE}metrics: 127.0.0.1:0\nmax-backoff: 400ms\nlog-format: json\n`);
    const svc = startService(['--config', files.config, '--state-dir', files.stateDir], fake);
    const parsed = (): { message: string; event: string; level: string; code: string | null }[] => svc.lines().map((l) => JSON.parse(l) as never);
    await svc.until(() => parsed().some((l) => l.event === 'change'));
    const url = /metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/u.exec(parsed()[0]?.message ?? '')?.[1] ?? '';
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    fake.setFaults({ vboxsvcDown: true });
    await svc.until(() => parsed().filter((l) => l.event === 'tick-failed').length >= 4);
    const failed = parsed().filter((l) => l.event === 'tick-failed');
    expect(failed[0]).toMatchObject({ level: 'error', code: 'VBOXMANAGE_FAILED' });
    expect(failed[0]?.message).toMatch(/Failed to create the VirtualBox object!.*; trying again, less often while it fails$/u);
    expect(failed[3]?.message).toMatch(/\(4 failed ticks in a row\)$/u);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.text()).toMatch(/the last \d+ ticks failed/u);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const failures = [...metrics.matchAll(/^vbox_balloon_tick_failures_total\{[^}]*\} (\d+)$/gmu)].reduce((n, m) => n + Number(m[1]), 0);
    expect(failures).toBeGreaterThanOrEqual(4);
    fake.setFaults({});
    await svc.until(() => parsed().some((l) => l.event === 'recovered'));
    expect(parsed().find((l) => l.event === 'recovered')?.message).toMatch(/^VirtualBox answers again after \d+ failed ticks$/u);
    await svc.until(() => parsed().filter((l) => l.event === 'change').length > 3);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    svc.child.kill('SIGTERM');
    expect(await svc.exited).toBe(0);
  });

  it('a bad settings file starts nothing: every problem with FILE:LINE:COL, exit 2, no VBoxManage call', async () => {
    const fake = serviceWorld();
    const files = serviceFiles('policy: budgt\ninterval: 10\nlimits:\n  web-1: { max-balloon: 1G, share: 3 }\n');
    const svc = startService(['--config', files.config], fake);
    expect(await svc.exited).toBe(2);
    expect(svc.stderr().trim().split('\n')).toEqual([
      `error: ${files.config}:2:9: policy "budgt" is not one of budget, balloonctrl (did you mean "budget"?); write e.g. "policy: budget"`,
      `error: ${files.config}:3:11: interval "10" has no unit; write e.g. "interval: 30s"`,
      `error: ${files.config}:5:29: unknown limit "share" for "web-1" (did you mean "shares"?); the limits are max-balloon, min-memory, shares, enabled`,
      `${files.config} has 3 problems. Nothing started.`,
    ]);
    expect(fake.log().filter((e) => e.control !== true)).toEqual([]);
  });
});
