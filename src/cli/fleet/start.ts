// `start` across hosts: the placement table (every host, why it can or cannot start the VM, the choice), then the
// start on the chosen host (falling back to the next), the record for give-back naming that host. Starts and
// give-backs in other processes wait: every host of the fleet is locked while this start runs.
import type { FleetPlacement, FleetPlanOptions, FleetStartOptions, FleetStartResult } from '../../index.js';
import type { CommandContext } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { reportError } from '../report-error.js';
import { saveRoom } from '../room-store.js';
import { DEFAULT_LOCK_TIMEOUT_MS, targetKey, withHostLocks } from '../take-turns.js';
import { commandLine, safe, safeLine, table } from '../text.js';
import type { FleetConnection } from './connect-fleet.js';

/** What the command line asked for. */
export interface FleetStartSetup {
  readonly vm: string;
  readonly options: FleetStartOptions;
  readonly dryRun: boolean;
  readonly dir: string;
  readonly lockTimeoutMs: number | undefined;
}

/** The placement as a table: one row per host, the chosen one first. */
export function placementTable(ctx: CommandContext, p: FleetPlacement): string {
  const rows = p.hosts.map((h) => [safe(h.host), h.rank === null ? '-' : String(h.rank), h.fits ? 'yes' : 'no', safeLine(h.line)]);
  return table(['HOST', 'RANK', 'FITS', 'WHY'], rows, ctx.ui.out);
}

function printPlacement(ctx: CommandContext, p: FleetPlacement): void {
  if (ctx.ui.quiet) return;
  ctx.ui.print(placementTable(ctx, p));
  ctx.ui.print(p.chosen === null ? `No host can start ${safe(p.vm)}.` : `Chosen: ${safe(p.chosen)} (strategy ${p.strategy}).`);
}

/** `start VM` with several hosts (or a hosts file). */
export async function fleetStart(ctx: CommandContext, connectFleet: () => FleetConnection, s: FleetStartSetup): Promise<number> {
  const conn = connectFleet();
  if (s.dryRun) {
    const planned = await conn.fleet.planStart(s.vm, { ...planOnly(s.options), signal: ctx.interrupt });
    if (planned.isErr()) return reportError(ctx, planned.error);
    const p = planned.value;
    if (ctx.ui.json) ctx.ui.printJson(p);
    else {
      printPlacement(ctx, p);
      const best = p.hosts.find((h) => h.rank === 1)?.plan;
      if (best !== null && best !== undefined) ctx.ui.print(`Would run on ${safe(p.chosen ?? '')} (dry run, nothing changed):\n${best.commands.map((c) => `  ${commandLine(c)}`).join('\n')}`);
    }
    if (p.chosen !== null) return EXIT.ok;
    ctx.ui.failure(p.summary);
    return EXIT.refused;
  }
  const keys = conn.members.map((m) => targetKey(m.target));
  return withHostLocks(ctx, s.dir, keys, 'start', s.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, async () => {
    const started = await conn.fleet.startWithRoom(s.vm, { ...s.options, signal: ctx.interrupt });
    if (started.isErr()) {
      const e = started.error;
      if (e.code === 'NO_HOST' && !ctx.ui.json) for (const r of e.refusals) ctx.ui.note(`  ${safe(r.host)}: ${safeLine(r.reason)}`);
      return reportError(ctx, e);
    }
    return report(ctx, conn, s, started.value);
  });
}

// What a plan takes of the start's options.
function planOnly(o: FleetStartOptions): FleetPlanOptions {
  const keys = ['budgetMb', 'budgetPercent', 'overheadMb', 'keepGuestFreeMb', 'from', 'clone', 'type', 'strategy'] as const;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function report(ctx: CommandContext, conn: FleetConnection, s: FleetStartSetup, r: FleetStartResult): number {
  const member = conn.members.find((m) => m.name === r.host);
  const target = member?.target ?? r.host;
  const res = r.result;
  const keep = res.room.taken.length > 0 || res.room.clone !== undefined;
  const saved = keep ? saveRoom(s.dir, { host: target, record: res.room }) : null;
  if (saved !== null && 'problem' in saved) ctx.ui.warn(res.vm, `the record for give-back could not be written (${saved.problem}); keep this output: ${JSON.stringify({ host: r.host, room: res.room })}`);
  for (const a of r.attempts) if (!a.ok && a.error !== null) ctx.ui.warn(a.host, `the start failed there and was undone; tried the next host: ${a.error.message}`);
  if (ctx.ui.json) {
    ctx.ui.printJson({ ...r, ...(saved !== null && 'file' in saved ? { recordFile: saved.file } : {}) });
    return EXIT.ok;
  }
  printPlacement(ctx, r.placement);
  const what = res.clone === null ? '' : ` (a clone of ${safe(res.clone.from)} from snapshot ${safe(res.clone.snapshot)})`;
  const took = res.changes.length === 0 ? 'without ballooning' : `after inflating ${res.changes.length} balloon${res.changes.length === 1 ? '' : 's'}`;
  const back = keep ? `; 'vbox-balloon give-back ${safe(res.vm)} --hosts …${res.clone === null ? '' : ' --delete'}' once it stops` : '';
  ctx.ui.print(`Started ${safe(res.vm)}${what} on ${safe(r.host)} (${res.state}) ${took}${back}.`);
  return EXIT.ok;
}
