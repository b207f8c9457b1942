import { err, ok, type Result } from 'neverthrow';
import { parseError, type ParseError } from '../../errors/index.js';
import { isDigit, lines, NOT_TEXT, safeInt } from './scan.js';

/** One row of `VBoxManage metrics query`. */
export interface MetricRow {
  /** `host` or the VM name (VBoxManage prints the name even when the VM was given by UUID), padding removed. */
  readonly object: string;
  /**
   * The object column exactly as printed: the name padded with spaces to at least 15 characters (`%-15s`), line
   * breaks included. Compare it with `name.padEnd(15)` to tell `'db'` from `'db '`.
   */
  readonly objectColumn: string;
  /** The metric name, for example `Guest/RAM/Usage/Free`. */
  readonly metric: string;
  /** The collected samples, oldest first, in the metric's unit (kB for memory); empty while nothing was collected. */
  readonly values: readonly number[];
  /** The unit printed after the values (`kB`, `%`, `MB`, …), or `null` when there are no values or no unit. */
  readonly unit: string | null;
}

const METRIC_STARTS = [' Guest/', ' RAM/', ' CPU/', ' Disk/', ' Net/', ' FS/'];
const isMetricChar = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '/');
const isUnitChar = (c: string | undefined): boolean => c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '%');

// The last ` <metric>` in the line: the object column (which may hold anything) is always before the metric.
function lastMetricStart(line: string): number {
  let best = -1;
  if (!line.includes('/')) return best;
  for (const start of METRIC_STARTS) {
    const at = line.lastIndexOf(start);
    if (at > best) best = at;
  }
  return best;
}

type Tail = { readonly metric: string; readonly values: number[]; readonly unit: string | null } | 'not-a-row' | 'too-big';

// `<metric>[:avg|:min|:max] *` then nothing, or values `-?N[.NN][ ]unit` separated by `, `, then spaces.
function readTail(line: string, from: number): Tail {
  let i = from;
  while (isMetricChar(line[i])) i++;
  let metric = line.slice(from, i);
  if (metric.split('/').length < 3) return 'not-a-row'; // real metric names have at least two slashes
  for (const agg of [':avg', ':min', ':max']) {
    if (line.startsWith(agg, i)) {
      metric += agg;
      i += agg.length;
      break;
    }
  }
  if (i < line.length && line[i] !== ' ') return 'not-a-row';
  while (line[i] === ' ') i++;
  const values: number[] = [];
  let unit: string | null = null;
  while (i < line.length) {
    const start = i;
    if (line[i] === '-') i++;
    const intStart = i;
    while (isDigit(line[i])) i++;
    if (i === intStart) return 'not-a-row';
    const whole = safeInt(line.slice(intStart, i));
    let frac = '';
    if (line[i] === '.' && isDigit(line[i + 1])) {
      const f = ++i;
      while (isDigit(line[i])) i++;
      frac = line.slice(f, i);
      if (frac.length > 6) return 'too-big';
    }
    if (whole === null) return 'too-big';
    const negative = line[start] === '-';
    const n = Number(`${whole}${frac === '' ? '' : `.${frac}`}`);
    values.push(negative ? -n : n);
    if (line[i] === ' ' && isUnitChar(line[i + 1])) i++;
    const u = i;
    while (isUnitChar(line[i]) && i - u < 8) i++;
    if (line[i] === '/' && isUnitChar(line[i + 1])) {
      i++;
      while (isUnitChar(line[i]) && i - u < 12) i++;
    }
    if (values.length === 1) unit = i > u ? line.slice(u, i) : null;
    if (line.startsWith(', ', i)) {
      i += 2;
      continue;
    }
    while (line[i] === ' ') i++;
    if (i < line.length) return 'not-a-row';
  }
  return { metric, values, unit: values.length === 0 ? null : unit };
}

const isHeader = (line: string): boolean => {
  const t = line.trim();
  return (t.startsWith('Object') && t.endsWith('Values') && t.includes('Metric')) || (t !== '' && /^[- ]+$/u.test(t));
};

/**
 * Parse `VBoxManage metrics query` output in one pass. Header lines are skipped; a row without values has
 * `values: []`. The object column is never escaped: a line without a metric is the start of an object name that
 * holds a line break, continued on the next line. Numbers that do not fit are a `PARSE_ERROR`.
 */
export function parseMetricsQuery(text: string): Result<MetricRow[], ParseError> {
  if (typeof text !== 'string') return err(parseError('metrics query', '', NOT_TEXT));
  const rows: MetricRow[] = [];
  let pending: string[] = [];
  for (const line of lines(text)) {
    if (pending.length === 0 && (line.trim() === '' || isHeader(line))) continue;
    const at = lastMetricStart(line);
    const tail = at === -1 ? 'not-a-row' : readTail(line, at + 1);
    if (tail === 'too-big') return err(parseError('metrics query', text, `a value does not fit in a number in ${JSON.stringify(line.slice(0, 200))}`));
    if (tail === 'not-a-row') {
      pending.push(line); // part of an object name with a line break, or garbage (reported if nothing follows)
      continue;
    }
    const objectColumn = [...pending, line.slice(0, at)].join('\n');
    pending = [];
    rows.push({ object: objectColumn.trimEnd(), objectColumn, metric: tail.metric, values: tail.values, unit: tail.unit });
  }
  if (pending.length > 0) return err(parseError('metrics query', text, `unexpected line ${JSON.stringify((pending[0] ?? '').slice(0, 200))}`));
  return ok(rows);
}
