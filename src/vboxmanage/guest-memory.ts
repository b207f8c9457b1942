import type { GuestMemory } from './client.js';
import type { MetricRow } from './parse/metrics.js';

// The object column is padded with spaces, so a name's own trailing spaces cannot be told from the padding.
const sameObject = (row: MetricRow, name: string): boolean => row.object === name.trimEnd();

const latestMb = (rows: readonly MetricRow[], object: string, metric: string): number | null => {
  const row = rows.find((r) => sameObject(r, object) && r.metric === metric);
  const kb = row?.values[row.values.length - 1];
  // kB to MB as VBoxBalloonCtrl does it (integer division).
  return kb === undefined ? null : Math.floor(kb / 1024);
};

/** The guest memory of VM `name` (asked for as `ref`) from `metrics query` rows; `null` where nothing was reported. @internal */
export function guestMemoryFromRows(ref: string, name: string, rows: readonly MetricRow[]): GuestMemory {
  return {
    vm: ref,
    totalMb: latestMb(rows, name, 'Guest/RAM/Usage/Total'),
    freeMb: latestMb(rows, name, 'Guest/RAM/Usage/Free'),
    balloonMb: latestMb(rows, name, 'Guest/RAM/Usage/Balloon'),
    cacheMb: latestMb(rows, name, 'Guest/RAM/Usage/Cache'),
  };
}

/** True when the rows hold at least one value for VM `name`. @internal */
export function hasGuestValues(rows: readonly MetricRow[], name: string): boolean {
  return rows.some((r) => sameObject(r, name) && r.values.length > 0);
}

/** True when the rows mention VM `name` at all (a running VM has rows, with or without values). @internal */
export function hasGuestRows(rows: readonly MetricRow[], name: string): boolean {
  return rows.some((r) => sameObject(r, name));
}
