import { describe, expect, it } from 'vitest';
import { arrayOf, boolean, durationMs, func, integer, MAX_TIMER_MS, number, object, oneOf, optional, recordOf, signal, string } from '../../src/validate/schema.js';
import { checkCallOptions, checkClientCallOptions } from '../../src/validate/call-options.js';

const hostile: unknown[] = [undefined, null, NaN, Infinity, -Infinity, -0, 2 ** 53, '1', '', 'yes', 1, 0, true, false, {}, [], () => 0, Symbol('s'), 10n, new Date(0)];

describe('option schemas', () => {
  it('never throw, for any value', () => {
    const checks = [integer({ min: 0, example: 1 }), number({ min: 0, max: 1, example: 0.5 }), durationMs({ min: 1, example: 1000 }), boolean, func, string({ example: 'x' }), oneOf(['a', 'b']), signal, optional(boolean), arrayOf(boolean, { example: '[true]' }), recordOf(boolean, { example: '{}' }), object({ a: optional(boolean) }), checkCallOptions];
    for (const check of checks) for (const v of hostile) expect(() => check(v, 'x')).not.toThrow();
  });

  it('integer: whole, finite, in range; -0 reads as 0', () => {
    const c = integer({ min: 1, max: 10, example: 5 });
    expect(c(5, 'n')._unsafeUnwrap()).toBe(5);
    for (const v of [NaN, Infinity, 0, 11, 1.5, '5', null]) expect(c(v, 'n').isErr()).toBe(true);
    expect(Object.is(integer({ min: 0, example: 1 })(-0, 'n')._unsafeUnwrap(), 0)).toBe(true);
  });

  it('durations stop at the 2^31 ms timer limit, naming the option and a good value', () => {
    const c = durationMs({ min: 1, example: 30_000 });
    expect(c(MAX_TIMER_MS, 't').isOk()).toBe(true);
    const e = c(MAX_TIMER_MS + 1, 'options.wait.timeoutMs')._unsafeUnwrapErr();
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.argument).toBe('options.wait.timeoutMs');
    expect(e.message).toContain('e.g. 30000');
    expect(c(Infinity, 't').isErr()).toBe(true);
  });

  it('booleans are only true or false', () => {
    for (const v of ['yes', 'no', 1, 0, 'true', null]) expect(boolean(v, 'dryRun').isErr()).toBe(true);
    expect(boolean(false, 'dryRun')._unsafeUnwrap()).toBe(false);
  });

  it('objects: undefined is {}, null and arrays are refused, unknown keys are refused with a suggestion', () => {
    const c = object({ dryRun: optional(boolean) });
    expect(c(undefined, 'options')._unsafeUnwrap()).toEqual({});
    expect(c(null, 'options').isErr()).toBe(true);
    expect(c([], 'options').isErr()).toBe(true);
    const e = c({ dryrun: true }, 'options')._unsafeUnwrapErr();
    expect(e.argument).toBe('options.dryrun');
    expect(e.message).toContain('Did you mean dryRun?');
  });

  it('arrays and records check every item with its path', () => {
    expect(arrayOf(boolean, { example: '[true]' })([true, 'x'], 'from')._unsafeUnwrapErr().argument).toBe('from[1]');
    expect(recordOf(boolean, { example: '{}' })({ a: 1 }, 'limits')._unsafeUnwrapErr().argument).toBe('limits["a"]');
    expect(recordOf(boolean, { example: '{}' })(new Map(), 'limits').isErr()).toBe(true);
  });

  it('call options: a real signal and a timeout pass; a fake signal does not', () => {
    expect(checkCallOptions({ signal: AbortSignal.timeout(10), timeoutMs: 5 }, 'options').isOk()).toBe(true);
    expect(checkCallOptions({ signal: { aborted: 'no' } }, 'options').isErr()).toBe(true);
    expect(checkClientCallOptions({ dryRun: true, signal: new AbortController().signal }).isOk()).toBe(true);
    expect(checkClientCallOptions({ timeoutMs: 0 }).isErr()).toBe(true);
    expect(checkClientCallOptions(null).isErr()).toBe(true);
  });
});
