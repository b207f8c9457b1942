// Text helpers for terminal output. VM names are hostile: control characters never reach the terminal raw.

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

// What JSON.stringify leaves raw: DEL and the C1 controls (U+009B is CSI), the line and paragraph separators, and the
// bidi embeddings, overrides and isolates.
const BEYOND_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** JSON text with every character a terminal would act on escaped (`\u202e`): the same value once parsed. */
export function jsonSafe(json: string): string {
  return json.replace(BEYOND_JSON, escapeChar);
}

/** A value safe to print on a terminal: as is when plain, quoted and escaped when it holds control or bidi characters. */
export function safe(value: string): string {
  return CONTROL.test(value) ? jsonSafe(JSON.stringify(value)) : value;
}

/** Make every control character in a message visible (for SDK messages, which quote names but may hold stderr). */
export function safeLine(text: string): string {
  return text.replace(new RegExp(CONTROL.source, 'gu'), (c) => (c === '\n' ? ' ' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** ANSI styles, applied only when colour is on. */
export interface Paint {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string): string => s;

/** Styles for a stream with or without colour. */
export function paint(colour: boolean): Paint {
  if (!colour) return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain };
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39) };
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'gu');

/** The printed width of a string without its ANSI styles. */
export function visibleLength(s: string): number {
  return Array.from(s.replace(ANSI, '')).length;
}

/** Columns aligned with two spaces; the last column is not padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], style: Paint): string {
  const widths = header.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleLength(c)))))
      .join('  ')
      .trimEnd();
  return [style.bold(line(header)), ...rows.map(line)].join('\n') + '\n';
}

/** `1024 MB`, or `-` for an unknown value. */
export function mb(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : `${value} MB`;
}

/** One word of a command line as a person would type it in a POSIX shell (quoted when it needs to be). */
export function shellArg(a: string): string {
  return /^[\w.:@/+=-]+$/u.test(a) && !a.startsWith('-') ? a : `'${a.replace(/'/gu, "'\\''")}'`;
}

/** An argv as a person would type it. */
export function commandLine(argv: readonly string[]): string {
  return ['VBoxManage', ...argv.map((a) => (/^[\w.:@/+=-]+$/u.test(a) ? a : `'${a.replace(/'/gu, "'\\''")}'`))].map(safe).join(' ');
}
