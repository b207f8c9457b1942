import { err, ok, type Result } from 'neverthrow';
import { parseError, type ParseError } from '../../errors/index.js';
import type { GuestAdditionsRunLevel, VmInfo } from '../../domain/vm-info.js';
import { toVmState } from '../../domain/vm-state.js';
import { isBareUuid, NOT_TEXT, safeInt } from './scan.js';
import { parseSnapshots } from './snapshots.js';

// Keys that every VirtualBox version escapes (`\"` and `\\`); ≤6.1 prints some other keys raw (Windows paths).
const ESCAPED_KEYS = new Set(['name', 'ostype', 'CfgFile', 'SnapFldr', 'LogFldr', 'description', 'groups']);

/**
 * Read a `"…"` token starting at `start` (an opening quote), escape-aware, up to `limit`; returns the raw inner text
 * and the end. `noClose` remembers where a scan already ran to the end without a closing quote: every later scan
 * would fail the same way (a later opening quote was an escaped one, so the escape pairs line up), which keeps the
 * whole parse linear on an unterminated quote.
 */
function readQuoted(text: string, start: number, limit: number, noClose: { from: number }): { inner: string; end: number } | null {
  if (limit === text.length && start >= noClose.from) return null;
  let i = start + 1;
  while (i < limit) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      i += 2;
      continue;
    }
    if (c === '"') return { inner: text.slice(start + 1, i), end: i + 1 };
    i++;
  }
  if (limit === text.length) noClose.from = Math.min(noClose.from, start);
  return null;
}

function unescape(raw: string): string {
  return raw.replace(/\\(["\\])/gu, '$1');
}

/** A raw value is taken as escaped when every backslash in it is part of a `\"` or `\\` pair. */
function looksEscaped(raw: string): boolean {
  return !/\\(?!["\\])/u.test(raw.replace(/\\["\\]/gu, ''));
}

/**
 * Split `showvminfo --machinereadable` output into its key/value pairs (first occurrence wins). Handles quoted keys,
 * keys with spaces, multi-line quoted values, escapes, raw Windows paths, text after a closing quote, lines
 * without `=`, and CRLF.
 */
export function parseMachineReadable(input: string): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof input !== 'string') return out;
  const text = input.replace(/\r\n?/gu, '\n');
  const noClose = { from: Number.POSITIVE_INFINITY };
  let pos = 0;
  while (pos < text.length) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd === -1) lineEnd = text.length;
    let key: string | null = null;
    let valueStart = -1;
    if (text[pos] === '"') {
      const q = readQuoted(text, pos, lineEnd, noClose); // a quoted key never spans lines
      if (q !== null && text[q.end] === '=') {
        key = unescape(q.inner);
        valueStart = q.end + 1;
      }
    } else {
      const at = text.slice(pos, lineEnd).indexOf('='); // never search past the line
      const eq = at === -1 ? -1 : pos + at;
      if (eq !== -1) {
        key = text.slice(pos, eq);
        valueStart = eq + 1;
      }
    }
    if (key === null) {
      pos = lineEnd + 1; // `Encryption:     disabled`, ` rec_screen0`, blank lines
      continue;
    }
    let value: string;
    let next = lineEnd + 1;
    if (text[valueStart] === '"') {
      const q = readQuoted(text, valueStart, text.length, noClose);
      if (q === null) {
        // No closing quote anywhere (a raw value ending in a backslash): fall back to the rest of the line.
        const rest = text.slice(valueStart + 1, lineEnd);
        value = rest.endsWith('"') ? rest.slice(0, -1) : rest;
      } else {
        // The value may span lines; text after the closing quote (≤6.0 `VideoMode`) is dropped.
        const endOfLine = text.indexOf('\n', q.end);
        next = endOfLine === -1 ? text.length : endOfLine + 1;
        value = ESCAPED_KEYS.has(key) || looksEscaped(q.inner) ? unescape(q.inner) : q.inner;
      }
    } else {
      value = text.slice(valueStart, lineEnd);
    }
    if (!out.has(key)) out.set(key, value);
    pos = next;
  }
  return out;
}

// A whole number that fits; 400 digits (or anything beyond Number.MAX_SAFE_INTEGER) is unreadable, never Infinity.
function intField(map: ReadonlyMap<string, string>, key: string): number | null {
  const v = map.get(key);
  return v === undefined ? null : safeInt(v.trim());
}

// `"on"`/`"off"` (any case) as a boolean; `null` when the key is absent or holds anything else.
function onOff(map: ReadonlyMap<string, string>, key: string): boolean | null {
  const v = map.get(key)?.toLowerCase();
  return v === 'on' ? true : v === 'off' ? false : null;
}

/** Parse `VBoxManage showvminfo <vm> --machinereadable` into a {@link VmInfo}. */
export function parseShowVmInfo(text: string): Result<VmInfo, ParseError> {
  if (typeof text !== 'string') return err(parseError('showvminfo', '', NOT_TEXT));
  const raw = parseMachineReadable(text);
  const name = raw.get('name');
  const uuid = raw.get('UUID');
  if (name === '<inaccessible>') {
    return err(parseError('showvminfo', text, `the VM ${uuid ?? ''} is inaccessible (VirtualBox cannot read its settings file); fix or unregister it in VirtualBox`));
  }
  const missing = ['name', 'UUID', 'VMState', 'memory', 'GuestMemoryBalloon'].filter((k) => !raw.has(k));
  if (name === undefined || uuid === undefined || missing.length > 0) {
    return err(parseError('showvminfo', text, `missing ${missing.join(', ')}`));
  }
  // The UUID names the VM in every later call and in the CLI's record files: it must be one, whoever printed it.
  const bare = uuid.startsWith('{') && uuid.endsWith('}') ? uuid.slice(1, -1) : uuid;
  if (!isBareUuid(bare)) return err(parseError('showvminfo', text, `UUID is not a VM UUID: ${JSON.stringify(uuid.slice(0, 80))}`, name));
  const memoryMb = intField(raw, 'memory');
  const balloonMb = intField(raw, 'GuestMemoryBalloon');
  if (memoryMb === null) return err(parseError('showvminfo', text, `memory is not a number: ${JSON.stringify(raw.get('memory'))}`, name));
  if (balloonMb === null) {
    return err(parseError('showvminfo', text, `GuestMemoryBalloon is not a number: ${JSON.stringify(raw.get('GuestMemoryBalloon'))}`, name));
  }
  const level = intField(raw, 'GuestAdditionsRunLevel');
  const { snapshots, current } = parseSnapshots(raw);
  return ok({
    name,
    uuid: bare.toLowerCase(),
    state: toVmState(raw.get('VMState') ?? ''),
    memoryMb,
    balloonMb,
    largePages: onOff(raw, 'largepages'),
    pageFusion: onOff(raw, 'pagefusion'),
    guestAdditions: {
      runLevel: level !== null && level <= 3 ? (level as GuestAdditionsRunLevel) : null,
      version: raw.get('GuestAdditionsVersion') ?? null,
    },
    osType: raw.get('ostype') ?? null,
    snapshots,
    currentSnapshot: current,
    raw,
  });
}
