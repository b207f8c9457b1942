// Guest figures from `metrics query` rows, matched to VMs by the object column exactly as VirtualBox prints it.
import type { GuestMemory } from './client.js';
import type { MetricRow } from './parse/metrics.js';

// VirtualBox prints the object as `%-15s`; the client reads CR and CRLF as LF, so a name is compared the same way.
const column = (name: string): string => name.replace(/\r\n?/gu, '\n').padEnd(15);
// The padded column tells 'db' from 'db ' only past 15 characters; below that the two print the same.
// Rows built by hand (not by parseMetricsQuery) may lack objectColumn: then the trimmed object is compared.
const sameObject = (row: MetricRow, name: string): boolean => {
  const col = (row as { objectColumn?: string }).objectColumn;
  return col === undefined ? row.object === name.trimEnd() : col === column(name);
};

const latestMb = (rows: readonly MetricRow[], object: string, metric: string): number | null => {
  const row = rows.find((r) => sameObject(r, object) && r.metric === metric);
  const kb = row?.values[row.values.length - 1];
  // kB to MB as VBoxBalloonCtrl does it (integer division).
  return kb === undefined ? null : Math.floor(kb / 1024);
};

// The least of a row's samples: the `:min` aggregate when VirtualBox printed it, else the least sample of the plain row.
const leastMb = (rows: readonly MetricRow[], object: string, metric: string): number | null => {
  const agg = latestMb(rows, object, `${metric}:min`);
  if (agg !== null) return agg;
  const row = rows.find((r) => sameObject(r, object) && r.metric === metric);
  return row === undefined || row.values.length === 0 ? null : Math.floor(row.values.reduce((a, b) => Math.min(a, b)) / 1024);
};

// The window's least never exceeds the latest sample (the two rows may come from two collection moments).
const minOrNull = (latest: number | null, least: number | null): number | null => (latest === null ? null : Math.min(latest, least ?? latest));

/** The guest memory of VM `name` (asked for as `ref`) from `metrics query` rows; `null` where nothing was reported. @internal */
export function guestMemoryFromRows(ref: string, name: string, rows: readonly MetricRow[]): GuestMemory {
  return {
    vm: ref,
    totalMb: latestMb(rows, name, 'Guest/RAM/Usage/Total'),
    freeMb: latestMb(rows, name, 'Guest/RAM/Usage/Free'),
    freeMinMb: minOrNull(latestMb(rows, name, 'Guest/RAM/Usage/Free'), leastMb(rows, name, 'Guest/RAM/Usage/Free')),
    balloonMb: latestMb(rows, name, 'Guest/RAM/Usage/Balloon'),
    cacheMb: latestMb(rows, name, 'Guest/RAM/Usage/Cache'),
    sharedMb: latestMb(rows, name, 'Guest/RAM/Usage/Shared'),
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

/**
 * Whether VM `name` can be read from the table of ALL VMs (`metrics query *`), given every name the client knows.
 * Not when another VM prints the same padded column ('db' and 'db '), when its name holds a line break, or when
 * another name holds a line break and its text (it could print rows that look like this VM's). Such a VM is asked
 * for alone, by UUID. @internal
 */
export function readableFromTable(name: string, uuid: string, known: ReadonlyMap<string, string>): boolean {
  if (/[\r\n]/u.test(name)) return false;
  const own = column(name);
  for (const [otherUuid, other] of known) {
    if (otherUuid === uuid) continue;
    if (column(other) === own) return false;
    if (/[\r\n]/u.test(other) && other.includes(name)) return false;
  }
  return true;
}
