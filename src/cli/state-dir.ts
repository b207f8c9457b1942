// The CLI's private state directory (room records, the host lock): where it is, that it is ours alone, and files in
// it written whole, never through a symbolic link, never over a file someone else put there.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** Why a state file or directory cannot be used: a sentence naming it. */
export interface StateProblem {
  readonly problem: string;
}

/**
 * The state directory: --state-dir, else $VBOX_BALLOON_STATE_DIR, else systemd's $STATE_DIRECTORY (its first entry:
 * the unit's StateDirectory=), else $XDG_STATE_HOME/vbox-balloon, else ~/.local/state/vbox-balloon. A relative
 * XDG_STATE_HOME or STATE_DIRECTORY is ignored, as their specifications say; the result is absolute.
 */
export function stateDir(flag: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env, home: string = homedir()): string {
  if (flag !== undefined) return resolve(flag);
  const own = env['VBOX_BALLOON_STATE_DIR'];
  if (own !== undefined && own !== '') return resolve(own);
  const systemd = env['STATE_DIRECTORY']?.split(':')[0];
  if (systemd !== undefined && isAbsolute(systemd)) return systemd;
  const xdg = env['XDG_STATE_HOME'];
  return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, '.local', 'state'), 'vbox-balloon');
}

const FIX = 'pass another directory with --state-dir (or VBOX_BALLOON_STATE_DIR)';

/**
 * Make `dir` (0700) if it is missing, and check that it is a private directory: a real directory (not a symbolic
 * link), owned by this user, that no other user can write to. Returns `null` when it is fine.
 */
export function checkPrivateDir(dir: string): StateProblem | null {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const s = lstatSync(dir);
    if (s.isSymbolicLink()) return { problem: `the state directory ${dir} is a symbolic link; ${FIX}, e.g. the directory it points to` };
    if (!s.isDirectory()) return { problem: `the state directory ${dir} is not a directory; ${FIX}` };
    if (process.platform === 'win32') return null;
    const uid = process.getuid?.();
    if (uid !== undefined && s.uid !== uid) return { problem: `the state directory ${dir} belongs to user id ${s.uid}, not to you (${uid}); ${FIX}` };
    if ((s.mode & 0o022) !== 0) {
      return { problem: `the state directory ${dir} can be written by other users (mode ${(s.mode & 0o777).toString(8)}); make it private (chmod 700 ${dir}) or ${FIX}` };
    }
    return null;
  } catch (e) {
    return { problem: `the state directory ${dir} cannot be used (${errorText(e)}); ${FIX}` };
  }
}

/** The message of a caught error, short. */
export function errorText(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : e instanceof Error ? e.message : String(e);
}

// O_NOFOLLOW is missing on Windows, where there are no such links to plant.
const NOFOLLOW = (constants as Partial<typeof constants>).O_NOFOLLOW ?? 0;

// A new file, mode 0600, written whole: created exclusively (O_EXCL, never through a symbolic link) under a random
// name; with `durable`, flushed to the disk before it is closed.
function writeTemp(dir: string, text: string, durable = false): string {
  const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600);
  try {
    writeSync(fd, text);
    if (durable) fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  return tmp;
}

// Flush a directory's entries (a rename in it) to the disk; where the system cannot open a directory, nothing to do.
function syncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, constants.O_RDONLY);
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // some file systems refuse fsync on a directory: the rename itself is still atomic
  } finally {
    closeSync(fd);
  }
}

/**
 * Write `text` as `dir/name` only if no such file exists (link(2) is atomic and never replaces): `true` when written,
 * `false` when the name is taken. Throws on any other failure (the caller turns it into a sentence).
 */
export function writeNewFile(dir: string, name: string, text: string): boolean {
  const tmp = writeTemp(dir, text);
  try {
    linkSync(tmp, join(dir, name));
    return true;
  } catch (e) {
    if ((e as { code?: unknown }).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Write `text` as `dir/name`, replacing the file (rename(2) replaces a link itself, never what it points to). With
 * `durable`, the new file is flushed to the disk before the rename and the directory after it, so that a crash or a
 * power cut leaves the old file or the new one, whole.
 */
export function replaceFile(dir: string, name: string, text: string, durable = false): void {
  const tmp = writeTemp(dir, text, durable);
  try {
    renameSync(tmp, join(dir, name));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  if (durable) syncDir(dir);
}

/** Larger than this is not a file the CLI wrote. */
const MAX_BYTES = 1024 * 1024;

/** The text of a regular file in the state directory, never read through a symbolic link; or why not. */
export function readStateFile(file: string): { text: string } | StateProblem {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | NOFOLLOW);
  } catch (e) {
    return { problem: `${file} cannot be read (${errorText(e) === 'ELOOP' ? 'it is a symbolic link' : errorText(e)})` };
  }
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) return { problem: `${file} is not a regular file` };
    const uid = process.getuid?.();
    if (uid !== undefined && s.uid !== uid) return { problem: `${file} belongs to user id ${s.uid}, not to you (${uid})` };
    if (s.size > MAX_BYTES) return { problem: `${file} is larger than 1 MB` };
    const buffer = Buffer.alloc(s.size);
    let read = 0;
    while (read < s.size) {
      const n = readSync(fd, buffer, read, s.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { text: buffer.subarray(0, read).toString('utf8') };
  } catch (e) {
    return { problem: `${file} cannot be read (${errorText(e)})` };
  } finally {
    closeSync(fd);
  }
}
