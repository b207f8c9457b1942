// A tick of the autopilot (or the one tick `plan` runs) for people: one log line, or a table of every VM.
import type { TickEvent } from '../index.js';
import { mb, safe, table, type Paint } from './text.js';

// The host-memory figures of the tick (both policies); the budget policy adds the backing its plan aims at.
function budget(event: TickEvent): string {
  const m = event.plan?.memory;
  if (m == null) return '';
  const b = event.plan?.budget;
  return `, backing ${m.backingMb}${b == null ? '' : ` -> ${b.backingAfterMb}`} MB of ${m.budgetMb} MB budget, headroom ${m.headroomMb} MB`;
}

/** `2026-12-01T22:00:00.000Z tick 3: 2 changes (web-1 0->100 MB, …), backing … , 0 errors`; the host after the time. */
export function tickLine(event: TickEvent, host?: string): string {
  const moves = event.applied.map((e) => `${safe(e.vm)} ${e.fromMb}->${e.toMb} MB`);
  const planned = (event.plan?.entries ?? []).filter((e) => e.deltaMb !== 0).length;
  const what = event.plan === null ? 'tick failed' : moves.length > 0 ? `${moves.length} change${moves.length === 1 ? '' : 's'} (${moves.join(', ')})` : planned > 0 ? `${planned} planned, none applied` : 'no change';
  const errors = event.errors.map((f) => `${f.vm === null ? '' : `${safe(f.vm)}: `}${f.error.code}`);
  return `${new Date(event.time).toISOString()}${host === undefined ? '' : ` ${safe(host)}`} tick ${event.tick}: ${what}${budget(event)}, ${event.errors.length} error${event.errors.length === 1 ? '' : 's'}${errors.length > 0 ? ` (${errors.join(', ')})` : ''}`;
}

// Words in lines of at most `width` characters (a longer word gets a line of its own).
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

/**
 * Every VM of the plan with its reason, for `width` columns: the fleet-level part of the reasons once, above the
 * table, and each VM's own words wrapped in the WHY column (`--json` keeps every whole reason).
 */
export function planTable(event: TickEvent, style: Paint, width = 80): string {
  const fleet = event.plan?.fleetReason;
  const own = (reason: string): string => (fleet !== undefined && reason.startsWith(`${fleet}; `) ? reason.slice(fleet.length + 2) : reason);
  const cells = (event.plan?.entries ?? []).map((e) => [safe(e.vm), mb(e.fromMb), mb(e.toMb), e.deltaMb > 0 ? `+${e.deltaMb}` : String(e.deltaMb), safe(own(e.reason))]);
  const used = [0, 1, 2, 3].reduce((sum, i) => sum + Math.max(['VM', 'NOW', 'PLAN', 'DELTA'][i]?.length ?? 0, ...cells.map((c) => c[i]?.length ?? 0)) + 2, 0);
  const whyWidth = Math.max(24, width - used);
  const rows = cells.flatMap((c) => wrap(c[4] ?? '', whyWidth).map((l, i) => (i === 0 ? [...c.slice(0, 4), l] : ['', '', '', '', l])));
  const head = event.plan === null ? '' : `Policy ${event.plan.policy}${budget(event).replace(/^, /u, ': ')}\n`;
  const why = fleet === undefined ? '' : `${wrap(`Fleet: ${safe(fleet)}.`, width).join('\n')}\n`;
  return head + why + table(['VM', 'NOW', 'PLAN', 'DELTA', 'WHY'], rows, style);
}
