// Where `start --make-room` keeps what it took, so that `give-back` in a later process can put it back: one JSON file
// per start in the private state directory, named from the started VM's checked UUID. A second start of the same VM
// before its give-back adds a file (room-UUID.2.json, …); it never replaces the first.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isUuid, type RoomRecord, type RoomTaken } from '../index.js';
import { checkPrivateDir, errorText, readStateFile, writeNewFile, type StateProblem } from './state-dir.js';

/** What is stored: the record, and the host it is about ("local" or the ssh target). */
export interface StoredRoom {
  readonly host: string;
  readonly record: RoomRecord;
}

/** A record read back, with its file. */
export interface RoomFile {
  readonly file: string;
  readonly stored: StoredRoom;
}

// Only a UUID (checked, lower case, no braces) ever becomes part of a file name.
function checkedUuid(uuid: unknown): string | null {
  return typeof uuid === 'string' && isUuid(uuid) && !uuid.startsWith('{') ? uuid.toLowerCase() : null;
}

const notUuid = (uuid: unknown): StateProblem => ({ problem: `${JSON.stringify(uuid)} is not a VM UUID, so no record file is named after it` });
const nameOf = (uuid: string, n: number): string => (n === 1 ? `room-${uuid}.json` : `room-${uuid}.${n}.json`);

/**
 * Keep a record: a new file for each start (written whole, 0600, never over an existing file). Returns the file and
 * how many records of that VM were there already, or why not.
 */
export function saveRoom(dir: string, room: StoredRoom): { file: string; earlier: number } | StateProblem {
  const uuid = checkedUuid(room.record.uuid);
  if (uuid === null) return notUuid(room.record.uuid);
  const bad = checkPrivateDir(dir);
  if (bad !== null) return bad;
  try {
    const text = `${JSON.stringify(room, null, 2)}\n`;
    for (let n = 1; n < 1000; n++) if (writeNewFile(dir, nameOf(uuid, n), text)) return { file: join(dir, nameOf(uuid, n)), earlier: n - 1 };
    return { problem: `${dir} already holds 999 records for ${uuid}; run 'vbox-balloon give-back' for that VM first` };
  } catch (e) {
    return { problem: `the record cannot be written in ${dir} (${errorText(e)})` };
  }
}

// The record files of one VM, oldest first.
function recordFiles(dir: string, uuid: string): string[] {
  const numbered: [number, string][] = [];
  for (const name of readdirSync(dir)) {
    if (name === nameOf(uuid, 1)) numbered.push([1, name]);
    else if (name.startsWith(`room-${uuid}.`) && name.endsWith('.json')) {
      const n = name.slice(uuid.length + 6, -5);
      if (/^[1-9]\d{0,2}$/u.test(n)) numbered.push([Number(n), name]);
    }
  }
  return numbered.sort((a, b) => a[0] - b[0]).map(([, name]) => join(dir, name));
}

const isMb = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

// A record as the CLI wrote it, or what is wrong with it (in words about the file, not about the SDK).
function checkStored(value: unknown): StoredRoom | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it holds no record object';
  const { host, record } = value as Record<string, unknown>;
  if (!isText(host)) return 'its "host" is missing';
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'its "record" is missing';
  const r = record as Record<string, unknown>;
  if (!isText(r['vm']) || checkedUuid(r['uuid']) === null) return 'its record does not name the started VM and its UUID';
  const taken = r['taken'];
  if (!Array.isArray(taken)) return 'its "taken" is not a list';
  for (const [i, t] of taken.entries()) {
    const e = (typeof t === 'object' && t !== null ? t : {}) as Record<string, unknown>;
    if (!isText(e['vm']) || checkedUuid(e['uuid']) === null || !isMb(e['fromMb']) || !isMb(e['toMb'])) return `entry ${i + 1} of "taken" is not a balloon with its VM, UUID, fromMb and toMb`;
  }
  return value as StoredRoom;
}

/**
 * Every record of a VM (by UUID), oldest first (empty when there is none), or why they cannot be used: a damaged
 * file is named and `damaged` is set.
 */
export function loadRooms(dir: string, uuid: string): { rooms: RoomFile[] } | (StateProblem & { readonly damaged?: boolean }) {
  const id = checkedUuid(uuid);
  if (id === null) return notUuid(uuid);
  const bad = checkPrivateDir(dir);
  if (bad !== null) return bad;
  const rooms: RoomFile[] = [];
  let files: string[];
  try {
    files = recordFiles(dir, id);
  } catch (e) {
    return { problem: `the state directory ${dir} cannot be read (${errorText(e)})` };
  }
  for (const file of files) {
    const read = readStateFile(file);
    if ('problem' in read) return read;
    let parsed: unknown;
    try {
      parsed = JSON.parse(read.text);
    } catch {
      return damaged(file, 'it is not valid JSON');
    }
    const stored = checkStored(parsed);
    if (typeof stored === 'string') return damaged(file, stored);
    rooms.push({ file, stored });
  }
  return { rooms };
}

const damaged = (file: string, why: string): StateProblem & { damaged: true } => ({
  damaged: true,
  problem: `the record ${file} is damaged (${why}): check the balloons with 'vbox-balloon status', set them back with 'vbox-balloon set VM SIZE', then delete the file`,
});

/**
 * One record for several starts of the same VM, oldest first: a balloon taken again by a later start (from the size
 * the earlier one set) is given back to where the earliest start found it; one set by someone else between the
 * starts is given back only to where the later start found it.
 */
export function mergeRooms(records: readonly RoomRecord[]): RoomRecord | null {
  const [first, ...rest] = records;
  if (first === undefined) return null;
  const taken = new Map<string, RoomTaken>(first.taken.map((t) => [t.uuid, t]));
  for (const r of rest) {
    for (const t of r.taken) {
      const before = taken.get(t.uuid);
      taken.set(t.uuid, before !== undefined && before.toMb === t.fromMb ? { ...t, fromMb: before.fromMb } : t);
    }
  }
  const last = records[records.length - 1] ?? first;
  const clone = records.find((r) => r.clone !== undefined)?.clone;
  return { vm: last.vm, uuid: last.uuid, taken: [...taken.values()], ...(clone === undefined ? {} : { clone }) };
}

/** Forget a record once everything was given back. */
export function dropRoom(file: string): void {
  rmSync(file, { force: true });
}
