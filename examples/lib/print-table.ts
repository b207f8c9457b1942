import type { BalloonStatus } from 'vbox-balloon';

const mb = (n: number | null | undefined): string => (n === null || n === undefined ? '-' : `${n} MB`);

/** A plain-text table of balloon statuses. */
export function statusTable(statuses: readonly BalloonStatus[]): string {
  const rows = [
    ['VM', 'state', 'RAM', 'max balloon', 'requested', 'achieved', 'guest free', 'live change'],
    ...statuses.map((s) => [
      s.name,
      s.state,
      mb(s.memoryMb),
      mb(s.maxBalloonMb),
      mb(s.balloon.requestedMb),
      mb(s.balloon.actualMb),
      mb(s.guest?.freeMb),
      s.live.allowed ? 'yes' : `no: ${s.live.blockers.map((b) => b.code).join(', ')}`,
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
