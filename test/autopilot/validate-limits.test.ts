import { describe, expect, it } from 'vitest';
import { validateLimits } from '../../src/index.js';

describe('validateLimits', () => {
  it('accepts the AutopilotOptions.limits shape and freezes it', () => {
    const r = validateLimits({ 'web-1': { maxBalloonMb: 1024, minMb: 512, shares: 2000, enabled: true }, 'db-1': { enabled: false } });
    expect(r.isOk()).toBe(true);
    expect(r._unsafeUnwrap()['web-1']).toEqual({ maxBalloonMb: 1024, minMb: 512, shares: 2000, enabled: true });
    expect(Object.isFrozen(r._unsafeUnwrap())).toBe(true);
  });

  it.each([
    ['not an object', [], 'limits'],
    ['null', null, 'limits'],
    ['a value that is not an object', { 'web-1': 5 }, 'limits["web-1"]'],
    ['an unknown field', { 'web-1': { maxBaloonMb: 5 } }, 'limits["web-1"].maxBaloonMb'],
    ['a negative size', { 'web-1': { minMb: -1 } }, 'limits["web-1"].minMb'],
    ['NaN', { 'web-1': { shares: Number.NaN } }, 'limits["web-1"].shares'],
    ['a string number', { 'web-1': { maxBalloonMb: '512' } }, 'limits["web-1"].maxBalloonMb'],
    ['a fraction', { 'web-1': { maxBalloonMb: 1.5 } }, 'limits["web-1"].maxBalloonMb'],
    ['enabled as a string', { 'web-1': { enabled: 'false' } }, 'limits["web-1"].enabled'],
    ['a key starting with -', { '-x': {} }, 'limits key'],
  ])('refuses %s as INVALID_ARGUMENT naming it', (_, limits, argument) => {
    const r = validateLimits(limits);
    expect(r.isErr()).toBe(true);
    expect(r._unsafeUnwrapErr()).toMatchObject({ code: 'INVALID_ARGUMENT', argument });
  });
});
