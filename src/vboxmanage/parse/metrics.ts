import { err, ok, type Result } from 'neverthrow';
import { parseError, type ParseError } from '../../errors.js';

/** One row of `VBoxManage metrics query`. */
export interface MetricRow {
  /** `host` or the VM name (VBoxManage prints the name even when the VM was given by UUID). */
  readonly object: string;
  /** The metric name, for example `Guest/RAM/Usage/Free`. */
  readonly metric: string;
  /** The collected samples, oldest first, in the metric's unit (kB for memory); empty while nothing was collected. */
  readonly values: readonly number[];
  /** The unit printed after the values (`kB`, `%`, `MB`, …), or `null` when there are no values or no unit. */
  readonly unit: string | null;
}

const METRIC = String.raw`(?:Guest|RAM|CPU|Disk|Net|FS)\/[A-Za-z0-9/]+(?::(?:avg|min|max))?`;
const VALUE = String.raw`-?\d+(?:\.\d+)? ?[A-Za-z%/]*`;
// The object column is padded but never escaped, so anchor on the metric name and the values after it.
const ROW = new RegExp(String.raw`^(.+?) +(${METRIC}) *((?:${VALUE})(?:, ${VALUE})*)? *$`, 'u');

/** Parse `VBoxManage metrics query` output. Header lines are skipped; a row without values has `values: []`. */
export function parseMetricsQuery(text: string): Result<MetricRow[], ParseError> {
  const rows: MetricRow[] = [];
  for (const line of text.replace(/\r\n?/gu, '\n').split('\n')) {
    if (line.trim() === '' || /^-+ -+ -+\s*$/u.test(line) || /^Object\s+Metric\s+Values\s*$/u.test(line)) continue;
    const m = ROW.exec(line);
    if (m?.[1] === undefined || m[2] === undefined) {
      return err(parseError('metrics query', text, `unexpected line ${JSON.stringify(line)}`));
    }
    const parts = m[3] === undefined ? [] : m[3].split(', ');
    const values = parts.map((p) => Number(/^-?\d+(?:\.\d+)?/u.exec(p)?.[0]));
    const unit = parts[0]?.replace(/^-?\d+(?:\.\d+)? ?/u, '') ?? '';
    rows.push({ object: m[1].trimEnd(), metric: m[2], values, unit: unit === '' ? null : unit });
  }
  return ok(rows);
}
