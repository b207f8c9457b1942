// The service soak: the built CLI as a service on the stand-in with fast ticks, VMs starting and stopping, a reload
// every few seconds (every fourth file bad) and VirtualBox gone for a while; resident memory and open descriptors
// sampled every second (first and last fifth compared), every tick accounted for, no process left behind.
// Run alone: `npx tsx bench/service-soak.ts [SECONDS]` (default 180) writes its section into docs/benchmarks.md;
// `npm run bench` runs it with SOAK_SECONDS (default 180).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fakeWorld, leftoverProcesses } from '../test/helpers/stand-in.js';
import { buildCli, CLI, cliEnv } from '../test/helpers/cli.js';

interface Sample {
  readonly at: number;
  readonly rssKb: number;
  readonly fds: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function sample(pid: number, at: number): Sample | null {
  try {
    const rss = /^VmRSS:\s+(\d+) kB$/mu.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return { at, rssKb: Number(rss), fds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return null;
  }
}

/** Run the soak for `seconds`; the markdown section for docs/benchmarks.md. */
export async function soakSection(seconds: number): Promise<string> {
  buildCli();
  const vms = Array.from({ length: 8 }, (_, i) => ({ name: `vm-${i}`, state: 'running' as const, memoryMb: 4096, usedMb: 900 + 150 * i }));
  const fake = fakeWorld({ host: { memoryMb: 40_960 }, vms });
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir, { mode: 0o700 });
  const config = join(dir, 'vbox.yaml');
  const settings = (n: number, bad: boolean): string =>
    `version: 1\npolicy: budget\nbudget: ${bad ? 'lots' : `${24 + (n % 3)}G`}\ninterval: ${n % 2 === 0 ? '200ms' : '250ms'}\nmax-backoff: 1s\nmax-change: 300M\nlog-format: json\nlog-level: debug\nmetrics: 127.0.0.1:0\n`;
  writeFileSync(config, settings(0, false));
  const child = spawn(process.execPath, [CLI, 'autopilot', '--config', config, '--state-dir', stateDir], { env: cliEnv(fake), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const pid = child.pid ?? 0;
  const samples: Sample[] = [];
  const start = Date.now();
  let reloads = 0;
  let badReloads = 0;
  let toggles = 0;
  let goneFrom = 0;
  let goneTo = 0;
  let lastReload = start;
  let lastToggle = start;
  while (Date.now() - start < seconds * 1000) {
    await sleep(1000);
    const t = (Date.now() - start) / 1000;
    const s = sample(pid, t);
    if (s !== null) samples.push(s);
    // VirtualBox gone from 40 % to 55 % of the run.
    if (goneFrom === 0 && t >= seconds * 0.4) {
      fake.setFaults({ vboxsvcDown: true });
      goneFrom = t;
    } else if (goneFrom !== 0 && goneTo === 0 && t >= seconds * 0.55) {
      fake.setFaults({});
      goneTo = t;
    }
    if (Date.now() - lastReload >= 3000) {
      lastReload = Date.now();
      reloads++;
      const bad = reloads % 4 === 0;
      if (bad) badReloads++;
      writeFileSync(config, settings(reloads, bad));
      child.kill('SIGHUP');
    }
    if (Date.now() - lastToggle >= 2000 && !(goneFrom !== 0 && goneTo === 0)) {
      lastToggle = Date.now();
      const vm = `vm-${toggles % vms.length}`;
      const running = /^VMState="running"$/mu.test(fake.run('showvminfo', vm, '--machinereadable'));
      fake.run(...(running ? ['controlvm', vm, 'poweroff'] : ['startvm', vm, '--type', 'headless']));
      toggles++;
    }
  }
  const metricsUrl = /metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/u.exec(out)?.[1];
  const tickLines = (): number => out.split('\n').filter((l) => /"event":"tick(-failed)?"/u.test(l)).length;
  const loggedBefore = tickLines();
  const exposition = metricsUrl === undefined ? '' : await (await fetch(`${metricsUrl}/metrics`)).text();
  const loggedAfter = tickLines();
  const ticksTotal = [...exposition.matchAll(/^vbox_balloon_ticks_total\{[^}]*\} (\d+)$/gmu)].reduce((n, m) => n + Number(m[1]), 0);
  const parentOf = (p: string): string | undefined => {
    try {
      return readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.split(' ')[1];
    } catch {
      return undefined; // gone meanwhile
    }
  };
  const children = readdirSync('/proc').filter((p) => /^\d+$/u.test(p) && parentOf(p) === String(pid)).length;
  child.kill('SIGTERM');
  const code = await exited;
  const left = leftoverProcesses(fake.statePath).length;
  const lines = out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { event: string; message: string });
  const count = (event: string, re?: RegExp): number => lines.filter((l) => l.event === event && (re === undefined || re.test(l.message))).length;
  const ticksLogged = count('tick') + count('tick-failed');
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  const first = samples.slice(1, 1 + fifth); // the first second is start-up
  const last = samples.slice(-fifth);
  const row = (name: string, part: Sample[]): string =>
    `| ${name} (${part[0]?.at.toFixed(0) ?? '?'}-${part[part.length - 1]?.at.toFixed(0) ?? '?'} s) | ${(median(part.map((s) => s.rssKb)) / 1024).toFixed(1)} MB | ${Math.max(...part.map((s) => s.rssKb / 1024)).toFixed(1)} MB | ${median(part.map((s) => s.fds))} | ${Math.max(...part.map((s) => s.fds))} |`;
  return `## Service soak

\`vbox-balloon autopilot --config FILE\` (the built CLI) on the stand-in for ${seconds} s: 8 VMs, ticks every 200-250 ms,
a VM started or stopped every 2 s, a reload (SIGHUP) every 3 s with every fourth file bad, and VBoxSVC gone from
${goneFrom.toFixed(0)} s to ${goneTo.toFixed(0)} s (every VBoxManage call failing; \`max-backoff: 1s\`). Resident memory and open file
descriptors of the service, sampled every second; the first and the last fifth of the run:

| part of the run | RSS median | RSS max | open fds median | open fds max |
|---|---|---|---|---|
${row('first fifth', first)}
${row('last fifth', last)}

- Ticks: ${ticksLogged} logged (${count('tick')} read the host, ${count('tick-failed')} failed while VBoxSVC was gone,
  ${count('recovered', /^VirtualBox answers again/u)} recovery); the metrics counted ${ticksTotal} when ${loggedBefore}${loggedAfter === loggedBefore ? '' : `-${loggedAfter}`} were logged.
- Reloads: ${reloads} sent, ${count('reload', /^Reloaded /u)} taken, ${count('reload', /^Reload refused/u)} refused (${badReloads} bad files);
  VMs started or stopped: ${toggles}; balloon changes: ${count('change')}.
- Child processes of the service just before SIGTERM: ${children}; exit code after SIGTERM: ${code ?? 'none'}; stand-in
  processes left behind: ${left}; stderr: ${err === '' ? 'empty' : JSON.stringify(err.slice(0, 200))}.
- Run ${new Date().toISOString().slice(0, 10)} with Node ${process.version} for ${seconds} s (\`npm run bench\` soaks for \`SOAK_SECONDS\`, default 180).
`;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const seconds = Number(process.argv[2] ?? 180);
  const section = await soakSection(seconds);
  const file = new URL('../docs/benchmarks.md', import.meta.url);
  const doc = readFileSync(file, 'utf8');
  const at = doc.indexOf('## Service soak');
  const end = at === -1 ? -1 : doc.indexOf('\n## ', at + 1);
  const measured = doc.lastIndexOf('\nMeasured with ');
  const next =
    at === -1
      ? `${doc.slice(0, measured + 1)}${section}\n${doc.slice(measured + 1)}`
      : `${doc.slice(0, at)}${section}\n${end === -1 ? doc.slice(measured + 1) : doc.slice(end + 1)}`;
  writeFileSync(file, next);
  console.log(section);
}
