// Sizes and durations as a shell user types them. Pure: no I/O.

/** A size from the command line: megabytes, or a percentage of something the command knows (a VM's RAM). */
export type SizeArg = { readonly kind: 'mb'; readonly mb: number } | { readonly kind: 'percent'; readonly percent: number };

/** Why an argument could not be read; the caller names the option. */
export interface UnitProblem {
  readonly problem: string;
  readonly example: string;
}

const SIZE = /^(\d{1,12}(?:\.\d{1,6})?)\s?(?:(m|mb|mib)|(g|gb|gib)|(t|tb|tib))?$/iu;
const PERCENT = /^(\d{1,3}(?:\.\d{1,6})?)%$/u;
const SIZE_EXAMPLE = '512, 512M, 2G';

/** Read `512`, `512M`, `2G`, `1.5G` (megabytes, whole), and with `percent` allowed `25%`. */
export function parseSize(text: string, allowPercent: boolean): SizeArg | UnitProblem {
  const example = allowPercent ? `${SIZE_EXAMPLE} or 25%` : SIZE_EXAMPLE;
  const t = text.trim();
  const pct = PERCENT.exec(t);
  if (pct?.[1] !== undefined) {
    if (!allowPercent) return { problem: 'is a percentage, which this option does not take', example: SIZE_EXAMPLE };
    const percent = Number(pct[1]);
    if (percent > 100) return { problem: 'is more than 100%', example };
    return { kind: 'percent', percent };
  }
  const m = SIZE.exec(t);
  if (m?.[1] === undefined) {
    if (/^-/u.test(t)) return { problem: 'is negative', example };
    if (/^\d+(?:\.\d+)?\s?k(?:b|ib)?$/iu.test(t)) return { problem: 'is in kilobytes; balloons are sized in whole megabytes', example };
    return { problem: 'is not a size', example };
  }
  const factor = m[3] !== undefined ? 1024 : m[4] !== undefined ? 1024 * 1024 : 1;
  const mb = Number(m[1]) * factor;
  if (!Number.isInteger(mb)) return { problem: `is ${mb} MB, not a whole number of megabytes`, example };
  if (mb > 2 ** 31 - 1) return { problem: 'is larger than any VM', example };
  return { kind: 'mb', mb };
}

/** The largest timer Node can run: 2^31 - 1 ms (about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const DURATION_PART = /(\d{1,9}(?:\.\d{1,6})?)(ms|s|m|h)/gu;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Read `500ms`, `30s`, `2m`, `1h`, `1m30s` into whole milliseconds above 0 and within Node's timer limit. */
export function parseDuration(text: string): number | UnitProblem {
  const example = '500ms, 30s, 2m';
  const t = text.trim();
  if (/^\d+(?:\.\d+)?$/u.test(t)) return { problem: 'has no unit', example: `${t}s` };
  if (t === '' || t.length > 64) return { problem: 'is not a duration', example };
  let total = 0;
  let consumed = 0;
  for (const m of t.matchAll(DURATION_PART)) {
    if (m.index !== consumed) return { problem: 'is not a duration', example };
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
    consumed += m[0].length;
  }
  if (consumed !== t.length || !Number.isFinite(total)) return { problem: 'is not a duration', example };
  const ms = Math.round(total);
  if (ms <= 0) return { problem: 'is not above 0', example };
  if (ms > MAX_TIMER_MS) return { problem: 'is longer than Node can wait (about 24 days)', example };
  return ms;
}

/** A whole number above 0 (for counts such as `--max-ticks`). */
export function parseCount(text: string): number | UnitProblem {
  const t = text.trim();
  if (!/^\d{1,9}$/u.test(t) || Number(t) === 0) return { problem: 'is not a whole number above 0', example: '10' };
  return Number(t);
}

/** True for the problem half of the results above. */
export function isProblem(x: unknown): x is UnitProblem {
  return typeof x === 'object' && x !== null && 'problem' in x;
}

/** A duration for people: `850 ms`, `3.2 s`, `2 m 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} m ${s % 60} s`;
}
