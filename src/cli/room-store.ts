// Where `start --make-room` keeps what it took, so that `give-back` in a later process can put it back: one JSON file
// per started VM (by UUID) in a private state directory.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RoomRecord } from '../index.js';

/** The state directory: --state-dir, else $VBOX_BALLOON_STATE_DIR, else $XDG_STATE_HOME/vbox-balloon, else ~/.local/state/vbox-balloon. */
export function stateDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined) return flag;
  const own = env['VBOX_BALLOON_STATE_DIR'];
  if (own !== undefined && own !== '') return own;
  const xdg = env['XDG_STATE_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.local', 'state'), 'vbox-balloon');
}

/** What is stored: the record, and the host it is about ("local" or the ssh target). */
export interface StoredRoom {
  readonly host: string;
  readonly record: RoomRecord;
}

const fileOf = (dir: string, uuid: string): string => join(dir, `room-${uuid}.json`);

/** Keep a record (written whole, then renamed: a reader never sees half of it). Returns the file, or why not. */
export function saveRoom(dir: string, room: StoredRoom): { file: string } | { problem: string } {
  const file = fileOf(dir, room.record.uuid);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify(room, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${file}.${process.pid}.tmp`, file);
    return { file };
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e) };
  }
}

/** Read the record of a VM (by UUID): the stored data as it is (the SDK's giveBack checks its shape), or why not. */
export function loadRoom(dir: string, uuid: string): { file: string; stored: Partial<StoredRoom> } | { problem: string } {
  const file = fileOf(dir, uuid);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { problem: `no record in ${dir} of memory taken for it: it was not started with 'vbox-balloon start VM --make-room' with this state directory` };
  }
  try {
    const stored = JSON.parse(text) as unknown;
    if (typeof stored !== 'object' || stored === null) return { problem: `${file} does not hold a room record` };
    return { file, stored: stored };
  } catch {
    return { problem: `${file} is not valid JSON` };
  }
}

/** Forget a record once everything was given back. */
export function dropRoom(file: string): void {
  rmSync(file, { force: true });
}
