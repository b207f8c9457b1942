// Reading sizes and durations from flags into numbers, or a usage error that names the flag and a good value.
import type { CommandContext } from './command.js';
import { isProblem, parseCount, parseDuration, parseSize, type SizeArg } from './units.js';
import type { UsageError } from './usage-error.js';

/** A size argument; `what` names it in the error (`SIZE`, `--keep-free`). */
export function sizeArg(ctx: CommandContext, text: string, what: string, allowPercent: boolean): SizeArg | UsageError {
  const r = parseSize(text, allowPercent);
  return isProblem(r) ? ctx.usage(`${what} ${JSON.stringify(text)} ${r.problem}; use e.g. ${r.example}`) : r;
}

/** A size in MB (no percentage). */
export function mbArg(ctx: CommandContext, text: string, what: string): number | UsageError {
  const r = sizeArg(ctx, text, what, false);
  return 'code' in r ? r : r.kind === 'mb' ? r.mb : ctx.usage(`${what} cannot be a percentage`);
}

/** An optional size flag in MB. */
export function optionalMb(ctx: CommandContext, text: string | undefined, flag: string): number | undefined | UsageError {
  return text === undefined ? undefined : mbArg(ctx, text, `--${flag}`);
}

/** `--budget SIZE|PERCENT` as the SDK's budget option (`budgetMb` or `budgetPercent`); `{}` when not given. */
export function budgetFlag(ctx: CommandContext, text: string | undefined): { budgetMb: number } | { budgetPercent: number } | Record<string, never> | UsageError {
  if (text === undefined) return {};
  const b = parseSize(text, true);
  if (isProblem(b)) return ctx.usage(`--budget ${JSON.stringify(text)} ${b.problem}; use e.g. 24G or 80%`);
  return b.kind === 'percent' ? { budgetPercent: b.percent } : { budgetMb: b.mb };
}

/** An optional duration flag in ms. */
export function optionalDuration(ctx: CommandContext, text: string | undefined, flag: string): number | undefined | UsageError {
  if (text === undefined) return undefined;
  const r = parseDuration(text);
  return isProblem(r) ? ctx.usage(`--${flag} ${JSON.stringify(text)} ${r.problem}; use e.g. ${r.example}`) : r;
}

/** An optional whole-number flag. */
export function optionalCount(ctx: CommandContext, text: string | undefined, flag: string): number | undefined | UsageError {
  if (text === undefined) return undefined;
  const r = parseCount(text);
  return isProblem(r) ? ctx.usage(`--${flag} ${JSON.stringify(text)} ${r.problem}; use e.g. ${r.example}`) : r;
}

/** `--keep-free-percent N`: a whole percentage of each guest's RAM from 0 to 90, as `keepGuestFreePercent`; `{}` when not given. */
export function keepPercentFlag(ctx: CommandContext, text: string | undefined): { keepGuestFreePercent: number } | Record<string, never> | UsageError {
  if (text === undefined) return {};
  const n = /^\d{1,3}%?$/u.test(text) ? Number.parseInt(text, 10) : Number.NaN;
  if (Number.isNaN(n)) return ctx.usage(`--keep-free-percent ${JSON.stringify(text)} is not a whole percentage; use e.g. 20`);
  return n > 90 ? ctx.usage(`--keep-free-percent ${JSON.stringify(text)} is above 90; use e.g. 20`) : { keepGuestFreePercent: n };
}

/** True for a usage error among parsed values. */
export function isUsage(x: unknown): x is UsageError {
  return typeof x === 'object' && x !== null && (x as { code?: unknown }).code === 'USAGE';
}
