// Reading the configuration file: YAML (eemeli/yaml keeps the line and column of every node), checked key by key
// against the table in config-keys.ts. Every problem is collected, each with FILE:LINE:COL, the key, a good value and
// the fix; a file with any problem gives no settings at all.
import { err, ok, type Result } from 'neverthrow';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { validateLimits, type VmLimits } from '../../index.js';
import { validateVmRef } from '../../domain/vm-ref.js';
import { parseListenAddress } from '../../metrics/listen-address.js';
import { parseHostLine } from '../fleet/hosts-file.js';
import { closest } from '../parse-command-line.js';
import { isProblem, parseDuration, parseSize } from '../units.js';
import { CONFIG_KEYS, CONFIG_VERSION, LIMIT_KEYS, configKey, type ConfigKey } from './config-keys.js';

/** A key's value as read: the flag's text for the scalar keys, checked; the limits and hosts already read. */
export type FileValue = string | boolean | Readonly<Record<string, VmLimits>> | readonly string[];

/** What a file sets, key by key (absent keys are absent). */
export type FileValues = Readonly<Record<string, FileValue>>;

/** The file read: its values, or every problem found (sentences starting with FILE:LINE:COL). */
export type ConfigRead = { readonly values: FileValues; readonly legacy: boolean } | { readonly problems: readonly string[] };

type At = (node: Node | null | undefined) => string;

const q = (s: unknown): string => JSON.stringify(s);

/** Read the text of a configuration file named `file` (for messages). */
export function readConfigText(text: string, file: string): ConfigRead {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const where = (offset: number | undefined): string => {
    const p = lines.linePos(offset ?? 0);
    return `${file}:${p.line}:${p.col}`;
  };
  const at: At = (node) => where(node?.range?.[0]);
  if (doc.errors.length > 0) return { problems: doc.errors.map((e) => `${where(e.pos[0])}: this is not valid YAML: ${e.message.split('\n')[0] ?? ''}`) };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { problems: [`${file}:1:1: the file is empty; start it with "version: ${CONFIG_VERSION}" (see 'vbox-balloon config print')`] };
  if (!isMap(root)) return { problems: [`${at(root)}: the file is not a map of keys; start it with "version: ${CONFIG_VERSION}" and one "key: value" a line`] };
  const version = root.items.find((p) => isScalar(p.key) && p.key.value === 'version');
  if (version === undefined) {
    // vbox-balloon 0.1's --config: a JSON object of per-VM limits with camelCase fields. Read as before, deprecated.
    if (text.trimStart().startsWith('{')) return readLegacy(root, at);
    return { problems: [`${file}:1:1: the file has no "version" key; add "version: ${CONFIG_VERSION}" at the top`] };
  }
  const problems: string[] = [];
  if (!isScalar(version.value) || version.value.value !== CONFIG_VERSION) {
    problems.push(`${at(version.value)}: version ${q(isScalar(version.value) ? version.value.value : null)} is not a version this vbox-balloon reads; write "version: ${CONFIG_VERSION}"`);
  }
  const values: Record<string, FileValue> = {};
  for (const pair of root.items) {
    const name = isScalar(pair.key) ? pair.key.value : null;
    if (name === 'version') continue;
    const key = typeof name === 'string' ? configKey(name) : undefined;
    if (key === undefined) {
      const guess = typeof name === 'string' ? closest(name, [...CONFIG_KEYS.map((k) => k.key), 'version']) : null;
      problems.push(`${at(pair.key)}: unknown key ${q(name)}${guess === null ? '' : ` (did you mean ${q(guess)}?)`}; remove it, or see 'vbox-balloon config print' for the keys`);
      continue;
    }
    const value = pair.value as Node | null;
    if (value === null || (isScalar(value) && value.value === null)) continue; // `key:` with no value: the default
    const read = readValue(key, value, at);
    if (read.isErr()) problems.push(...read.error);
    else values[key.key] = read.value;
  }
  problems.push(...policyProblems(root, values, at));
  return problems.length > 0 ? { problems: byPosition(problems, file) } : { values, legacy: false };
}

// Problems in the order of the file: by line, then column.
function byPosition(problems: readonly string[], file: string): string[] {
  const pos = (p: string): number => {
    const m = /^(\d+):(\d+):/u.exec(p.slice(file.length + 1));
    return m === null ? 0 : Number(m[1]) * 100_000 + Number(m[2]);
  };
  return [...problems].sort((a, b) => pos(a) - pos(b));
}

// Knobs of the other policy are refused, as their flags are.
function policyProblems(root: YAMLMap, values: Readonly<Record<string, FileValue>>, at: At): string[] {
  const policy = values['policy'];
  if (typeof policy !== 'string') return [];
  return root.items.flatMap((pair) => {
    const key = isScalar(pair.key) && typeof pair.key.value === 'string' ? configKey(pair.key.value) : undefined;
    if (key?.policy === undefined || key.policy === policy || !(key.key in values)) return [];
    return [`${at(pair.key as Node)}: ${q(key.key)} is a knob of the ${key.policy} policy, and this file sets "policy: ${policy}"; remove it`];
  });
}

// The problem part of the SDK's "Invalid X: VALUE PROBLEM. FIX" message.
const problemOf = (e: { readonly message: string; readonly received: string }): string => e.message.slice(e.message.indexOf(e.received) + e.received.length + 1).split('. ')[0] ?? 'is not valid';

type Read<T> = Result<T, readonly string[]>;
const fail = <T>(problem: string): Read<T> => err([problem]);

function scalarText(key: ConfigKey, node: Node, at: At): Read<string> {
  if (!isScalar(node)) return fail(`${at(node)}: ${key.key} is a ${isMap(node) ? 'map' : 'list'} where one value goes; write e.g. "${key.key}: ${key.example}"`);
  const v = node.value;
  if (typeof v === 'number' && Number.isFinite(v)) return ok(String(v));
  if (typeof v === 'string') return ok(v);
  return fail(`${at(node)}: ${key.key} ${q(v)} is not ${key.kind === 'boolean' ? 'true or false' : 'text'}; write e.g. "${key.key}: ${key.example}"`);
}

function readValue(key: ConfigKey, node: Node, at: At): Read<FileValue> {
  if (key.kind === 'limits') return readLimits(node, at);
  if (key.kind === 'hosts') return readHosts(node, at);
  if (key.kind === 'boolean') {
    if (isScalar(node) && typeof node.value === 'boolean') return ok(node.value);
    return fail(`${at(node)}: ${key.key} ${q(isScalar(node) ? node.value : null)} is not true or false; write e.g. "${key.key}: ${key.example}"`);
  }
  const read = scalarText(key, node, at);
  if (read.isErr()) return read;
  const text = read.value;
  const bad = (problem: string): Read<string> => fail(`${at(node)}: ${key.key} ${q(text)} ${problem}; write e.g. "${key.key}: ${key.example}"`);
  switch (key.kind) {
    case 'size':
    case 'size-or-percent': {
      const r = parseSize(text, key.kind === 'size-or-percent');
      return isProblem(r) ? bad(r.problem) : ok(text);
    }
    case 'duration': {
      const r = parseDuration(text);
      return isProblem(r) ? bad(r.problem) : ok(text);
    }
    case 'choice': {
      if (key.choices?.includes(text) === true) return ok(text);
      const guess = closest(text, key.choices ?? []);
      return bad(`is not one of ${(key.choices ?? []).join(', ')}${guess === null ? '' : ` (did you mean ${q(guess)}?)`}`);
    }
    case 'address': {
      const r = parseListenAddress(text);
      return r.isErr() ? bad(problemOf(r.error)) : ok(text);
    }
    case 'path':
      return text.startsWith('/') && !text.includes('\0') ? ok(text) : bad('is not an absolute path');
    default:
      return ok(text);
  }
}

function readLimits(node: Node, at: At): Read<Readonly<Record<string, VmLimits>>> {
  if (!isMap(node)) return fail(`${at(node)}: limits is not a map of VMs; write e.g. "limits: { web-1: { max-balloon: 1G } }"`);
  const problems: string[] = [];
  const out: Record<string, VmLimits> = {};
  for (const pair of node.items) {
    const vm = isScalar(pair.key) ? pair.key.value : null;
    const ref = validateVmRef(typeof vm === 'number' ? String(vm) : vm);
    if (ref.isErr()) {
      problems.push(`${at(pair.key as Node)}: limits key ${q(vm)} is not a VM name or UUID (it ${problemOf(ref.error)}); name the VM as 'vbox-balloon status' shows it`);
      continue;
    }
    const body = pair.value as Node | null;
    if (!isMap(body)) {
      problems.push(`${at(body ?? (pair.key as Node))}: limits of ${q(ref.value)} is not a map; write e.g. "${ref.value}: { max-balloon: 1G, min-memory: 512M, shares: 2000, enabled: true }"`);
      continue;
    }
    const limits: Record<string, number | boolean> = {};
    for (const item of body.items) {
      const name = isScalar(item.key) ? item.key.value : null;
      const spec = LIMIT_KEYS.find((k) => k.key === name);
      const value = item.value as Node | null;
      if (spec === undefined) {
        const guess = typeof name === 'string' ? closest(name, LIMIT_KEYS.map((k) => k.key)) : null;
        problems.push(`${at(item.key as Node)}: unknown limit ${q(name)} for ${q(ref.value)}${guess === null ? '' : ` (did you mean ${q(guess)}?)`}; the limits are ${LIMIT_KEYS.map((k) => k.key).join(', ')}`);
        continue;
      }
      const v = isScalar(value) ? value.value : undefined;
      const bad = (problem: string): void => {
        problems.push(`${at(value ?? (item.key as Node))}: ${spec.key} of ${q(ref.value)}: ${q(v ?? null)} ${problem}; write e.g. "${spec.key}: ${spec.example}"`);
      };
      if (spec.kind === 'boolean') {
        if (typeof v === 'boolean') limits[spec.field] = v;
        else bad('is not true or false');
      } else if (spec.kind === 'count') {
        if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 1_000_000) limits[spec.field] = v;
        else bad('is not a whole number from 0 to 1000000');
      } else {
        const r = typeof v === 'number' || typeof v === 'string' ? parseSize(String(v), false) : { problem: 'is not a size', example: '' };
        if (isProblem(r)) bad(r.problem);
        else if (r.kind === 'mb') limits[spec.field] = r.mb;
      }
    }
    out[ref.value] = limits;
  }
  return problems.length > 0 ? err(problems) : ok(out);
}

function readHosts(node: Node, at: At): Read<readonly string[]> {
  if (!isSeq(node)) return fail(`${at(node)}: hosts is not a list; write e.g. "hosts: [ ssh://vbox@lab-1.example.net ]"`);
  const problems: string[] = [];
  const hosts: string[] = [];
  for (const item of node.items as Node[]) {
    const text = isScalar(item) && typeof item.value === 'string' ? item.value : null;
    const entry = text === null ? null : parseHostLine(text, at(item));
    if (entry === null) problems.push(`${at(item)}: a host is text, "[NAME] ssh://USER@HOST[:PORT]"; write e.g. "- lab-1 ssh://vbox@lab-1.example.net"`);
    else if (entry.isErr()) problems.push(entry.error);
    else if (text !== null) hosts.push(text.trim());
  }
  return problems.length > 0 ? err(problems) : ok(hosts);
}

// The 0.1 limits file: {"web-1": {"maxBalloonMb": 1024, ...}}; the SDK's own check says what is wrong with it.
function readLegacy(root: YAMLMap, at: At): ConfigRead {
  const limits = validateLimits(root.toJSON());
  return limits.isErr() ? { problems: [`${at(root)}: ${limits.error.message}`] } : { values: { limits: limits.value }, legacy: true };
}
