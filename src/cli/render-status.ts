// The status table, for one host or (with a HOST column) for a fleet, and why a live change is not allowed.
import type { BalloonStatus } from '../index.js';
import { blockerWords } from './blocker-words.js';
import { mb, safe, table, type Paint } from './text.js';
import { cliMessage } from './error-words.js';

/** A VM's status, and the host it is on when the table covers several. */
export interface StatusRow {
  readonly status: BalloonStatus;
  readonly host?: string;
}

/** The table; `detailed` adds, below it, every reason a live change is refused and what the guest does not report. */
export function renderStatus(rows: readonly StatusRow[], detailed: boolean, out: Paint): string {
  const withHost = rows.some((r) => r.host !== undefined);
  const cells = rows.map(({ status: s, host }) => [
    ...(withHost ? [safe(host ?? '')] : []),
    safe(s.name),
    s.state,
    mb(s.memoryMb),
    mb(s.balloon.requestedMb),
    mb(s.balloon.actualMb),
    mb(s.guest?.freeMb),
    mb(s.maxBalloonMb),
    mb(s.memory.backingMb),
    s.live.allowed ? out.green('yes') : out.yellow(`no: ${s.live.blockers.map(blockerWords).join(', ')}`),
  ]);
  const header = [...(withHost ? ['HOST'] : []), 'NAME', 'STATE', 'RAM', 'REQUESTED', 'ACHIEVED', 'GUEST FREE', 'MAX', 'BACKING', 'LIVE CHANGE'];
  let text = table(header, cells, out);
  if (detailed) {
    for (const { status: s, host } of rows) {
      const who = `${host === undefined ? '' : `${safe(host)}: `}${safe(s.name)}`;
      for (const b of s.live.blockers) text += `\n${who}: ${cliMessage(b)}`;
      if (s.unreported !== null && s.live.allowed) text += `\n${who}: ${s.unreported}`;
      if (s.guest !== null) text += `\n${who}: guest free ${s.guest.freeMb} MB${s.guest.freeMinMb !== null && s.guest.freeMinMb < s.guest.freeMb ? ` (as little as ${s.guest.freeMinMb} MB in the last 10 s)` : ''}: ${s.guest.freeMeans}`;
    }
  }
  return text;
}
