// --hosts FILE: a list of hosts, one a line, `[NAME] ssh://USER@HOST[:PORT]`, with # comments. Read strictly: a line
// that is not a host is refused with FILE:LINE and a good example, never skipped.
import { err, ok, type Result } from 'neverthrow';
import { parseSshTarget } from '../../index.js';
import { readSmallFile } from '../read-small-file.js';

/** One host the command line names: from `--host` or from a line of a hosts file. */
export interface HostEntry {
  /** Its name in output (the HOST column, `host` in JSON): given in the hosts file, or `HOST[:PORT]` of the target. */
  readonly name: string;
  /** The target as written, e.g. `ssh://vbox@lab-1.example.net:22`. */
  readonly target: string;
  /** The target read into user, host (in lower case) and port, for telling two targets apart. */
  readonly key: string;
  /** Where it came from, for messages: `--host`, or `FILE:LINE`. */
  readonly from: string;
  /** The name was given (in a hosts file), not made from the target. */
  readonly named: boolean;
}

/** A name someone gives a host: what an inventory name looks like, and nothing a terminal or a shell reads. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/u;
const EXAMPLE = 'write NAME ssh://USER@HOST[:PORT] or only ssh://USER@HOST[:PORT], e.g. "lab-1 ssh://vbox@lab-1.example.net:22"';

/** A target read into an entry, or why it is not a target. */
export function hostEntry(target: string, from: string, name?: string): Result<HostEntry, string> {
  const parsed = parseSshTarget(target);
  if (parsed.isErr()) return err(`${JSON.stringify(target)} is not an ssh target`);
  const { user, host, port } = parsed.value;
  const shown = host.includes(':') ? `[${host}]` : host;
  // Host names are not case-sensitive (LOCALHOST is localhost); user names are.
  return ok({ name: name ?? `${shown}${port === undefined ? '' : `:${port}`}`, target, key: `${user ?? ''}@${shown.toLowerCase()}:${port ?? ''}`, from, named: name !== undefined });
}

function lineEntry(words: readonly string[], where: string): Result<HostEntry, string> {
  const fail = (what: string): Result<HostEntry, string> => err(`${where}: ${what}; ${EXAMPLE}`);
  if (words.length > 2) return fail(`${words.length} fields where a host line has one or two`);
  const [first = '', second] = words;
  const target = second ?? first;
  const name = second === undefined ? undefined : first;
  if (name !== undefined && !NAME.test(name)) return fail(`${JSON.stringify(name)} is not a host name (letters, digits, '.', '_', '-')`);
  if (!target.startsWith('ssh://')) return fail(`${JSON.stringify(target)} is not an ssh:// target`);
  const entry = hostEntry(target, where, name);
  return entry.isErr() ? fail(entry.error) : entry;
}

/** One host line's text (`[NAME] ssh://USER@HOST[:PORT]`), read as a hosts file reads it; `where` starts a problem. */
export function parseHostLine(line: string, where: string): Result<HostEntry, string> {
  return lineEntry(line.trim().split(/\s+/u).filter((w) => w !== ''), where);
}

/** The hosts of a hosts file's text; `file` names it in messages (`hosts.txt:3: …`). */
export function parseHostsFile(text: string, file: string): Result<HostEntry[], string> {
  const hosts: HostEntry[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const words = raw.replace(/#.*$/u, '').trim().split(/\s+/u).filter((w) => w !== '');
    if (words.length === 0) continue;
    const where = `${file}:${i + 1}`;
    const entry = lineEntry(words, where);
    if (entry.isErr()) return err(entry.error);
    const e = entry.value;
    const sameName = hosts.find((h) => sameHostName(h.name, e.name));
    if (sameName !== undefined) return err(`${where}: the name ${JSON.stringify(e.name)} is already on line ${lineOf(sameName)}; give each host its own name`);
    const sameTarget = hosts.find((h) => h.key === e.key);
    if (sameTarget !== undefined) return err(`${where}: ${e.target} is already on line ${lineOf(sameTarget)}; list each host once`);
    hosts.push(e);
  }
  if (hosts.length === 0) return err(`--hosts ${JSON.stringify(file)} names no host; ${EXAMPLE}`);
  return ok(hosts);
}

/** Two host names are one when they differ only in case (a person reads `Lab-1` and `lab-1` as one host). */
export const sameHostName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

const lineOf = (h: HostEntry): string => h.from.slice(h.from.lastIndexOf(':') + 1);

/** Read and parse a hosts file, or say why it cannot be used (a sentence naming the file). */
export async function readHostsFile(file: string): Promise<Result<HostEntry[], string>> {
  const text = await readSmallFile('hosts', file);
  return text.andThen((t) => parseHostsFile(t.replace(/\r$/gmu, ''), file));
}
