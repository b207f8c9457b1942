// How errors show values, and what every constructor shares. @internal
import type { BalloonError } from './error-union.js';

/** Quote a value for a message: VM names may hold anything, so show them JSON-escaped when unusual. @internal */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    return /^[\w .:@/+-]*$/u.test(value) ? `'${value}'` : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  if (typeof value === 'bigint') return `${value.toString()}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value);
  } catch {
    return 'an object';
  }
}

/** How a VM reference is best written on a shell command line in a message. @internal */
export function shellWord(value: string): string {
  return /^[\w.:@/+-]+$/u.test(value) && !value.startsWith('-') ? value : `"${value.replace(/["\\$`]/gu, '\\$&')}"`;
}

/** Freeze an error and its list fields so that callers cannot change it. @internal */
export function freeze<T extends BalloonError>(e: T): T {
  const r = e as unknown as Record<string, unknown>;
  // Copy lists so that freezing never touches an array the caller still owns.
  for (const [k, v] of Object.entries(r)) if (Array.isArray(v)) r[k] = Object.freeze([...(v as unknown[])]);
  return Object.freeze(e);
}

/** The commands that change a VM: when one is cut short, its outcome is unknown. @internal */
export function isChangeCommand(argv: readonly string[]): boolean {
  return argv[0] === 'controlvm' || argv[0] === 'modifyvm' || argv[0] === 'startvm' || argv[0] === 'clonevm' || argv[0] === 'unregistervm';
}

/** Whether a failed call may have changed something: `unknown` only for a change cut short or answered in doubt. */
export function outcomeOf(e: BalloonError): 'not-applied' | 'unknown' {
  return e.code === 'TIMEOUT' || e.code === 'ABORTED' || e.code === 'VBOXMANAGE_FAILED' || e.code === 'SSH_FAILED' ? e.outcome : 'not-applied';
}

/** What a message says of a change cut short, with `{n}` for the step that reads the VM again. @internal */
export function unknownNote(n: number): string {
  return `The change may or may not have been applied; {${n}} to see.`;
}

/** The text VirtualBox adds to explain a failure (`Most likely, …`), or an empty string. @internal */
export function explanation(stderr: string): string {
  for (const line of stderr.split(/\r?\n/u)) {
    const m = /^VBoxManage(?:\.exe)?: error: (Most likely,.*)$/u.exec(line);
    if (m?.[1] !== undefined) return m[1].trim();
  }
  return '';
}

/** The first `VBoxManage: error:` message line of stderr, without its prefix. @internal */
export function firstErrorLine(stderr: string): string {
  for (const line of stderr.split(/\r?\n/u)) {
    const m = /^VBoxManage(?:\.exe)?: error: (.*)$/u.exec(line);
    if (m?.[1] !== undefined) return m[1].trim();
  }
  return stderr.trim().split(/\r?\n/u)[0] ?? '';
}

