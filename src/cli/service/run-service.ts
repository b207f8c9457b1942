// `vbox-balloon autopilot --config FILE` (or with --log-format/--log-level): the autopilot as a long-running service.
// Log lines a service manager reads, SIGHUP reloads the file (a bad file keeps the old settings), SIGTERM ends it
// after the tick in progress (exit 0), the state is kept across restarts, and a host whose VBoxManage answers nothing
// is asked less and less often until it answers again.
import { hostname } from 'node:os';
import type { BalloonError } from '../../index.js';
import type { CommandContext } from '../command.js';
import { settingsChanges, type Settings } from '../config/settings.js';
import { connect, type Connection } from '../connect.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { selectHosts } from '../fleet/host-targets.js';
import { startMetrics, type CliMetrics } from '../metrics-server.js';
import { boolFlag, stringFlag, stringList } from '../parse-command-line.js';
import { checkPrivateDir, stateDir } from '../state-dir.js';
import { formatDuration } from '../units.js';
import { HostLoop } from './host-loop.js';
import { restoreOnExit } from './restore-on-exit.js';
import { ServiceLog, toJournal } from './service-log.js';

/** What the service starts with, and how it reads its settings again. */
export interface ServiceStart {
  readonly settings: Settings;
  /** The configuration file, or `null` when only flags set the autopilot (then SIGHUP winds it down). */
  readonly configFile: string | null;
  /** Read the file again under the same command line: the new settings, or every problem found. */
  readonly reread: () => Promise<Settings | { readonly problems: readonly string[] }>;
}

/** What a slow tick may add to the intervals before /healthz calls the autopilot stuck. */
const SLOW_TICK_MS = 30_000;

interface Host {
  readonly name: string | null;
  readonly metricsLabel: string;
  readonly key: string;
  readonly connection: Connection;
}

/** Run the service until stopped; resolves to the exit code. */
export async function runService(ctx: CommandContext, start: ServiceStart): Promise<number> {
  let current = start.settings;
  const log = new ServiceLog(
    (line) => {
      ctx.ui.print(line);
    },
    { format: current.logFormat, level: current.logLevel, journal: toJournal(ctx.env) },
  );
  const hosts = await connectHosts(ctx, current, log);
  if (typeof hosts === 'string') {
    log.error(hosts, { event: 'start', code: 'USAGE' });
    return EXIT.usage;
  }
  try {
    const refused = await checkHosts(hosts, log);
    if (refused !== null) return refused;
    const dir = stateDir(current.stateDir ?? undefined, ctx.env);
    const bad = checkPrivateDir(dir);
    if (bad !== null) {
      log.error(`${bad.problem}. Nothing started.`, { event: 'start', code: 'STATE_DIR' });
      return EXIT.error;
    }
    let metrics: CliMetrics | null = null;
    if (current.metrics !== null) {
      // /healthz: no tick for three intervals plus the time a slow tick may take (its calls' own time limits).
      const intervalMs = current.setup.intervalMs ?? 10_000;
      const m = await startMetrics(hosts.map((h) => ({ host: h.metricsLabel, connection: h.connection })), current.metrics, intervalMs, 3 * intervalMs + SLOW_TICK_MS);
      if ('problem' in m) {
        log.error(`${m.problem}. Nothing started.`, { event: 'start', code: m.code });
        return m.usage ? EXIT.usage : EXIT.error;
      }
      metrics = m;
      if (!m.loopback) log.warn(`metrics on ${m.url}/metrics, beyond loopback (${m.address}): anyone who can reach this machine can read them`, { event: 'start' });
    }
    const stop = new AbortController();
    const loops = hosts.map((h) => new HostLoop({ label: h.name, metricsLabel: h.metricsLabel, hostKey: h.key, connection: h.connection, log, stateDir: dir, metrics, stop: stop.signal }));
    const onStop = (): void => {
      log.info('Stopping after the tick in progress', { event: 'stop' });
      stop.abort();
    };
    ctx.interrupt.addEventListener('abort', onStop, { once: true });
    let reloading = Promise.resolve();
    const unhook =
      start.configFile === null
        ? () => undefined
        : ctx.onHangup(() => {
            reloading = reloading.then(async () => {
              const next = await reload(start, current, log, metrics);
              if (next === null) return;
              current = next;
              for (const loop of loops) loop.reload(next);
            });
          });
    const { setup } = current;
    log.info(
      `Autopilot started: ${setup.policy.kind} policy, every ${formatDuration(setup.intervalMs ?? 10_000)}${setup.dryRun ? ', dry run' : ''}, ${hosts.length === 1 && hosts[0]?.name === null ? 'this host' : `${hosts.length} host${hosts.length === 1 ? '' : 's'}`}${start.configFile === null ? '' : `, settings from ${start.configFile}`}, state in ${dir}${metrics === null ? '' : `, metrics on ${metrics.url}/metrics`}`,
      { event: 'start' },
    );
    const ends = await Promise.all(loops.map((l) => l.run(current)));
    unhook();
    ctx.interrupt.removeEventListener('abort', onStop);
    await reloading;
    for (const [i, loop] of loops.entries()) {
      const host = hosts[i];
      if (host !== undefined && (ends[i] ?? current).onExit === 'restore' && !(ends[i] ?? current).setup.dryRun) await restoreOnExit(loop, host.connection, log, host.name);
      loop.saveState();
    }
    await metrics?.close();
    const ticks = loops.reduce((n, l) => n + l.ticks, 0);
    log.info(`Autopilot stopped after ${ticks} tick${ticks === 1 ? '' : 's'}; the balloons ${current.onExit === 'restore' && !current.setup.dryRun ? 'it changed were put back' : 'stay where they are'}`, { event: 'stop' });
    return EXIT.ok;
  } finally {
    await Promise.all(hosts.map((h) => h.connection.close()));
  }
}

// Read the file again: the new settings (said in the log), or `null` with the problem logged and the old ones kept.
async function reload(start: ServiceStart, current: Settings, log: ServiceLog, metrics: CliMetrics | null): Promise<Settings | null> {
  const file = start.configFile ?? '';
  const next = await start.reread();
  if ('problems' in next) {
    const [first = 'unknown problem', ...rest] = next.problems;
    log.error(`Reload refused, the settings before stay in force: ${first}${rest.length === 0 ? '' : ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'}: vbox-balloon config check ${file})`}`, { event: 'reload', code: 'CONFIG_INVALID' });
    metrics?.onReload(false, Date.now());
    return null;
  }
  const changes = settingsChanges(current, next);
  const now = changes.filter((c) => c.reload);
  const later = changes.filter((c) => !c.reload);
  log.info(`Reloaded ${file}: ${now.length === 0 ? 'no change to apply' : `${now.map((c) => c.text).join(', ')}; from the next tick`}`, { event: 'reload' });
  if (later.length > 0) log.warn(`${later.map((c) => c.key).join(', ')} changed in ${file}: takes effect at the next restart`, { event: 'reload' });
  log.configure(next.logFormat, next.logLevel);
  metrics?.onReload(true, Date.now());
  // What only a restart changes stays as it is.
  return { ...next, hosts: current.hosts, metrics: current.metrics, stateDir: current.stateDir };
}

// The command line's hosts, else the file's, else this machine; warnings of each connection go to the log.
async function connectHosts(ctx: CommandContext, settings: Settings, log: ServiceLog): Promise<Host[] | string> {
  const flags = { vboxManagePath: stringFlag(ctx.args, 'vboxmanage'), sshConfig: stringFlag(ctx.args, 'ssh-config') };
  const given = [...stringList(ctx.args, 'host'), ...stringList(ctx.args, 'hosts')].length > 0;
  const selection = given ? await selectHosts(stringList(ctx.args, 'host'), stringList(ctx.args, 'hosts')) : await selectHosts(settings.hosts, []);
  if (selection.isErr()) return selection.error;
  const reporter = (name: string | null): { warn: (vm: string | null, m: string) => void; debug: (t: string) => void } => ({
    warn: (vm, message) => {
      log.warn(vm === null ? message : `${vm}: ${message}`, { event: 'warning', host: name, vm: vm === null ? null : { uuid: null, name: vm } });
    },
    // Each VBoxManage command, with --verbose only (as on the command line).
    debug: (text) => {
      if (ctx.ui.verbose) log.debug(text, { event: 'command', host: name });
    },
  });
  const { hosts, fleet } = selection.value;
  if (hosts.length === 0) {
    return [{ name: null, metricsLabel: hostname(), key: 'local', connection: connect({ ...flags, simulate: boolFlag(ctx.args, 'simulate'), stateDir: stateDir(settings.stateDir ?? undefined, ctx.env) }, reporter(null)) }];
  }
  const named = fleet || hosts.length > 1;
  return hosts.map((h) => ({ name: named ? h.name : null, metricsLabel: h.name, key: `ssh:${h.key}`, connection: connect({ ...flags, simulate: false, host: h.target }, reporter(named ? h.name : null)) }));
}

// A host that cannot balloon, or has no VBoxManage, stops the start; one that does not answer yet (VBoxSVC not up,
// VirtualBox being upgraded) does not: the loop tries again, less often while it fails.
async function checkHosts(hosts: readonly Host[], log: ServiceLog): Promise<number | null> {
  const answers = await Promise.all(hosts.map((h) => h.connection.controller.hostSupport()));
  let code: number | null = null;
  for (const [i, r] of answers.entries()) {
    const host = hosts[i]?.name ?? null;
    if (r.isOk() && r.value.supported) continue;
    if (r.isOk()) {
      log.error(`This host cannot balloon: ${r.value.reasons.join('; ')}. Nothing started.`, { event: 'start', host, code: 'HOST_UNSUPPORTED' });
      code ??= EXIT.refused;
    } else if (fatal(r.error)) {
      log.error(`${r.error.message} Nothing started.`, { event: 'start', host, code: r.error.code });
      code ??= exitCodeFor(r.error.code);
    } else log.warn(`VirtualBox does not answer yet (${r.error.message}); the autopilot starts and tries again, less often while it fails`, { event: 'start', host, code: r.error.code });
  }
  return code;
}

const fatal = (e: BalloonError): boolean => e.code === 'VBOXMANAGE_NOT_FOUND' || e.code === 'INVALID_ARGUMENT';
