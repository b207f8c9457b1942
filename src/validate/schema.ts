// The one shared layer that checks arguments and options at the edge, before anything runs. Pure: no I/O.
// Every check takes any JavaScript value a caller can pass and returns a Result; none of them throws.
import { err, ok, type Result } from 'neverthrow';
import { invalidArgument, type InvalidArgumentError } from '../errors/index.js';

/** The largest delay Node's timers honour: a longer one (or `Infinity`) fires after 1 ms. @internal */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A check of one value at `path` (for example `options.wait.timeoutMs`), with the VM it is about. @internal */
export type Check<T> = (value: unknown, path: string, vm?: string | null) => Result<T, InvalidArgumentError>;

const bad = (path: string, value: unknown, problem: string, fix: string, vm: string | null | undefined): Result<never, InvalidArgumentError> =>
  err(invalidArgument(path, value, problem, fix, vm ?? null));

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A whole number from `min` to `max` (`-0` reads as 0). @internal */
export function integer(opts: { readonly min: number; readonly max?: number; readonly example: number; readonly unit?: string }): Check<number> {
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  const unit = opts.unit === undefined ? '' : ` ${opts.unit}`;
  const range = max === Number.MAX_SAFE_INTEGER ? `${opts.min} or more` : `from ${opts.min} to ${max}`;
  const fix = `Pass a whole number${unit} ${range}, e.g. ${opts.example}.`;
  return (value, path, vm) => {
    if (typeof value !== 'number') return bad(path, value, `is ${kind(value)}, not a number`, fix, vm);
    if (Number.isNaN(value)) return bad(path, value, 'is not a number', fix, vm);
    if (!Number.isFinite(value)) return bad(path, value, 'is not finite', fix, vm);
    if (!Number.isInteger(value)) return bad(path, value, 'is not a whole number', fix, vm);
    if (value < opts.min || value > max) return bad(path, value, `is out of range (${range})`, fix, vm);
    return ok(value === 0 ? 0 : value);
  };
}

/** A number (not necessarily whole) in `(min, max]` or `[min, max]`. @internal */
export function number(opts: { readonly min: number; readonly max: number; readonly minExclusive?: boolean; readonly example: number }): Check<number> {
  const range = `${opts.minExclusive === true ? 'above' : 'from'} ${opts.min} ${opts.minExclusive === true ? 'and at most' : 'to'} ${opts.max}`;
  const fix = `Pass a number ${range}, e.g. ${opts.example}.`;
  return (value, path, vm) => {
    if (typeof value !== 'number') return bad(path, value, `is ${kind(value)}, not a number`, fix, vm);
    if (Number.isNaN(value)) return bad(path, value, 'is not a number', fix, vm);
    const low = opts.minExclusive === true ? value <= opts.min : value < opts.min;
    if (low || value > opts.max) return bad(path, value, `is out of range (${range})`, fix, vm);
    return ok(value === 0 ? 0 : value);
  };
}

/** A delay or time limit in ms that Node's timers can honour: a whole number from `min` to 2³¹−1. @internal */
export function durationMs(opts: { readonly min: number; readonly example: number }): Check<number> {
  return integer({ min: opts.min, max: MAX_TIMER_MS, example: opts.example, unit: 'of ms' });
}

/** Exactly `true` or `false`: a switch that guards a change is never read loosely (`'yes'`, `1` and `'no'` are refused). @internal */
export const boolean: Check<boolean> = (value, path, vm) =>
  typeof value === 'boolean' ? ok(value) : bad(path, value, `is ${kind(value)}, not true or false`, 'Pass true or false.', vm);

/** A function. @internal */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const func: Check<Function> = (value, path, vm) =>
  typeof value === 'function' ? ok(value) : bad(path, value, `is ${kind(value)}, not a function`, 'Pass a function, or leave it out.', vm);

/** A string, optionally non-empty. @internal */
export function string(opts: { readonly nonEmpty?: boolean; readonly example: string }): Check<string> {
  const fix = `Pass a string, e.g. ${JSON.stringify(opts.example)}.`;
  return (value, path, vm) => {
    if (typeof value !== 'string') return bad(path, value, `is ${kind(value)}, not a string`, fix, vm);
    if (opts.nonEmpty === true && value === '') return bad(path, value, 'is empty', fix, vm);
    if (value.includes('\0')) return bad(path, value, 'contains a NUL character', fix, vm);
    return ok(value);
  };
}

/** One of a fixed set of literals. @internal */
export function oneOf<T extends string>(values: readonly T[]): Check<T> {
  const fix = `Pass one of ${values.map((v) => JSON.stringify(v)).join(', ')}.`;
  return (value, path, vm) =>
    typeof value === 'string' && (values as readonly string[]).includes(value) ? ok(value as T) : bad(path, value, 'is not one of the accepted values', fix, vm);
}

/** An `AbortSignal` (anything with a boolean `aborted` and `addEventListener`, so signals from other realms pass). @internal */
export const signal: Check<AbortSignal> = (value, path, vm) => {
  const s = value as { aborted?: unknown; addEventListener?: unknown; removeEventListener?: unknown } | null;
  const looks =
    typeof value === 'object' && s !== null && typeof s.aborted === 'boolean' && typeof s.addEventListener === 'function' && typeof s.removeEventListener === 'function';
  return looks ? ok(value as AbortSignal) : bad(path, value, `is ${kind(value)}, not an AbortSignal`, 'Pass an AbortSignal (for example AbortSignal.timeout(30_000)), or leave it out.', vm);
};

/** `undefined` passes as `undefined`; anything else must pass `check`. @internal */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (value, path, vm) => (value === undefined ? ok(undefined) : check(value, path, vm));
}

/** An array whose every item passes `check`. @internal */
export function arrayOf<T>(check: Check<T>, opts: { readonly example: string; readonly nonEmpty?: boolean; readonly maxLength?: number }): Check<T[]> {
  return (value, path, vm) => {
    if (!Array.isArray(value)) return bad(path, value, `is ${kind(value)}, not an array`, `Pass an array, e.g. ${opts.example}.`, vm);
    if (opts.nonEmpty === true && value.length === 0) return bad(path, value, 'is empty', `Pass at least one item, e.g. ${opts.example}, or leave it out.`, vm);
    if (opts.maxLength !== undefined && value.length > opts.maxLength) {
      return bad(path, `an array of ${value.length} items`, `has more than ${opts.maxLength} items`, `Pass at most ${opts.maxLength}.`, vm);
    }
    const out: T[] = [];
    for (let i = 0; i < value.length; i++) {
      const r = check(value[i], `${path}[${i}]`, vm);
      if (r.isErr()) return err(r.error);
      out.push(r.value);
    }
    return ok(out);
  };
}

/** A plain record whose every value passes `check` (keys are free-form, e.g. VM names). @internal */
export function recordOf<T>(check: Check<T>, opts: { readonly example: string }): Check<Record<string, T>> {
  return (value, path, vm) => {
    if (!isPlainObject(value)) return bad(path, value, `is ${kind(value)}, not an object`, `Pass an object, e.g. ${opts.example}.`, vm);
    const out: Record<string, T> = {};
    for (const key of Object.keys(value)) {
      const r = check(value[key], `${path}[${JSON.stringify(key)}]`, vm);
      if (r.isErr()) return err(r.error);
      out[key] = r.value;
    }
    return ok(out);
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The checks of an options object, one per known key. @internal */
export type Shape = Readonly<Record<string, Check<unknown>>>;

/** The checked type of a {@link Shape}. @internal */
export type Shaped<S extends Shape> = { [K in keyof S]: S[K] extends Check<infer T> ? T : never };

// The closest known key to a mistyped one (`dryrun` -> `dryRun`), for the message.
function closest(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  return known.find((x) => x.toLowerCase() === k) ?? known.find((x) => x.toLowerCase().startsWith(k.slice(0, 3)));
}

/**
 * An options object: `undefined` reads as `{}`; `null`, arrays and non-objects are refused; every known key is
 * checked; an unknown key is refused (a mistyped `dryrun: true` must never make the real change). @internal
 */
export function object<S extends Shape>(shape: S): Check<Partial<Shaped<S>>> {
  const known = Object.keys(shape);
  return (value, path, vm) => {
    if (value === undefined) return ok({});
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return bad(path, value, `is ${kind(value)}, not an options object`, `Pass an object such as {}, or leave it out.`, vm);
    }
    const r = value as Record<string, unknown>;
    for (const key of Object.keys(r)) {
      if (!known.includes(key)) {
        const near = closest(key, known);
        const fix = near === undefined ? `Known options: ${known.join(', ')}.` : `Did you mean ${near}? Known options: ${known.join(', ')}.`;
        return bad(`${path}.${key}`, r[key], 'is not a known option', fix, vm);
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of known) {
      const check = shape[key] as Check<unknown>;
      const checked = check(r[key], `${path}.${key}`, vm);
      if (checked.isErr()) return err(checked.error);
      if (checked.value !== undefined) out[key] = checked.value;
    }
    return ok(out as Partial<Shaped<S>>);
  };
}
