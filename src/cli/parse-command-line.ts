// Split the command line into the command name and its flags, and parse them with node:util parseArgs.
import { parseArgs } from 'node:util';
import type { FlagSpec, Parsed } from './command.js';
import { GLOBAL_FLAGS } from './global-flags.js';

/** Where the command name is, skipping global flags and their values. */
export function findCommand(argv: readonly string[]): { readonly name: string | null; readonly rest: readonly string[] } {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') break;
    if (a.startsWith('-') && a !== '-') {
      const name = a.startsWith('--') ? a.slice(2) : null;
      if (name !== null && !name.includes('=') && GLOBAL_FLAGS[name]?.type === 'string') i++;
      continue;
    }
    return { name: a, rest: [...argv.slice(0, i), ...argv.slice(i + 1)] };
  }
  return { name: null, rest: argv };
}

/** True when the command line asks for help (before `--`), whatever else is wrong with it. */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

// `--wait 30s` and `--wait=30s` become `--wait --wait-value=30s`, which parseArgs understands. A bare number after it
// (`--wait 30`) stays a word of its own, and is also kept as `--wait-next=30`: a command with one word too many
// can then tell the person that a duration needs a unit, while `set web-1 --wait 512` still reads 512 as the SIZE.
const BARE_NUMBER = /^\d+(?:\.\d+)?$/u;

function expandOptionalValues(argv: readonly string[], flags: Readonly<Record<string, FlagSpec>>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const [name, inline] = a.startsWith('--') ? [a.slice(2).split('=')[0] ?? '', a.includes('=') ? a.slice(a.indexOf('=') + 1) : undefined] : ['', undefined];
    const spec = flags[name];
    if (spec?.optionalValue === undefined) {
      out.push(a);
      continue;
    }
    out.push(`--${name}`);
    const next = argv[i + 1];
    if (inline !== undefined) out.push(`--${name}-value=${inline}`);
    else if (next !== undefined && spec.optionalValue.test(next)) {
      out.push(`--${name}-value=${next}`);
      i++;
    } else if (next !== undefined && BARE_NUMBER.test(next)) out.push(`--${name}-next=${next}`);
  }
  return out;
}

function parseArgsOptions(flags: Readonly<Record<string, FlagSpec>>): Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, { type, multiple, short, optionalValue }] of Object.entries({ ...GLOBAL_FLAGS, ...flags })) {
    options[name] = { type, ...(multiple === undefined ? {} : { multiple }), ...(short === undefined ? {} : { short }) };
    if (optionalValue !== undefined) {
      options[`${name}-value`] = { type: 'string' };
      options[`${name}-next`] = { type: 'string' };
    }
  }
  return options;
}

/** Parse strictly; a problem is returned as a sentence for a usage error. */
export function parseFlags(argv: readonly string[], flags: Readonly<Record<string, FlagSpec>>): Parsed | { readonly problem: string } {
  try {
    const { values, positionals } = parseArgs({ args: expandOptionalValues(argv, flags), options: parseArgsOptions(flags), allowPositionals: true, strict: true });
    return { values: values, positionals };
  } catch (e) {
    return { problem: describeParseError(e, argv, flags) };
  }
}

// A word that starts with a minus and a digit is a negative number, not a flag: `set web-1 -5`, `reclaim -1G`.
const NEGATIVE = /^-\d/u;

// The flags a person can type (the command's and the global ones), for "did you mean".
function typable(flags: Readonly<Record<string, FlagSpec>>): string[] {
  return Object.keys({ ...GLOBAL_FLAGS, ...flags }).map((n) => `--${n}`);
}

// parseArgs' own messages are long and mention JavaScript; say it the way a CLI does.
function describeParseError(e: unknown, argv: readonly string[], flags: Readonly<Record<string, FlagSpec>>): string {
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  const flag = /'(-{1,2}[^' ]+)/u.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const end = argv.indexOf('--');
    const negative = (end === -1 ? argv : argv.slice(0, end)).find((a) => NEGATIVE.test(a) && a.startsWith(flag));
    if (negative !== undefined) return `${JSON.stringify(negative)} is negative: a size must be positive, e.g. 512M, 2G or 25%`;
    const name = flag.startsWith('--') ? flag.split('=')[0] ?? flag : null;
    const guess = name === null ? null : closest(name, typable(flags));
    return guess === null ? `unknown flag ${flag}` : `unknown flag ${flag} (did you mean ${guess}?)`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('argument missing')) return `flag ${flag} needs a value`;
    if (message.includes('ambiguous')) return `flag ${flag} needs a value (write ${flag}=VALUE for a value that starts with "-")`;
    if (message.includes('does not take an argument')) return `flag ${flag} does not take a value`;
    return `bad value for ${flag}`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return 'unexpected argument';
  return message;
}

/** A string flag's value (the last one when repeated). */
export function stringFlag(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  if (Array.isArray(v)) {
    const last = v[v.length - 1];
    return typeof last === 'string' ? last : undefined;
  }
  return typeof v === 'string' ? v : undefined;
}

/** Every value of a repeatable string flag. */
export function stringList(p: Parsed, name: string): string[] {
  const v = p.values[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** A boolean flag. */
export function boolFlag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

/** Levenshtein distance, for "did you mean". Inputs are short command names. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest known name, when it is close enough to be a typo. */
export function closest(name: string, known: readonly string[]): string | null {
  if (name.length > 64) return null;
  let best: string | null = null;
  let bestD = 3;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}
