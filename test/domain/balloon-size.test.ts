import { describe, expect, it } from 'vitest';
import { maxBalloonMb, validateBalloonSize } from '../../src/index.js';

describe('maxBalloonMb', () => {
  it.each([
    [4096, 3685],
    [1024, 920],
    [512, 459],
    [128, 114],
    [10, 8],
    [2, 0],
    [1, -1],
    [0, -1],
    [-5, -1],
    [Number.NaN, -1],
  ])('memory %d MB allows at most %d MB', (memory, max) => {
    expect(maxBalloonMb(memory)).toBe(max);
  });
});

describe('validateBalloonSize', () => {
  it('accepts 0 and the maximum', () => {
    expect(validateBalloonSize(0, 4096)._unsafeUnwrap()).toBe(0);
    expect(validateBalloonSize(3685, 4096)._unsafeUnwrap()).toBe(3685);
  });

  it('turns -0 into 0', () => {
    expect(Object.is(validateBalloonSize(-0, 4096)._unsafeUnwrap(), 0)).toBe(true);
  });

  it.each([
    ['one above the maximum', 3686, /above the largest size VirtualBox accepts \(3685 MB\)/u],
    ['a negative size', -1, /is negative/u],
    ['a fraction', 1.5, /not a whole number/u],
    ['NaN', Number.NaN, /is not a number/u],
    ['Infinity', Number.POSITIVE_INFINITY, /not finite/u],
    ['-Infinity', Number.NEGATIVE_INFINITY, /not finite/u],
    ['a numeric string', '512', /is a string, not a number \(convert it with Number\(\) first\)/u],
    ['a word', 'lots', /is a string, not a number/u],
    ['null', null, /is a null, not a number/u],
    ['undefined', undefined, /is a undefined, not a number/u],
    ['a bigint', 5n, /is a bigint/u],
  ])('refuses %s with its own message', (_label, value, message) => {
    const e = validateBalloonSize(value, 4096, 'web-1')._unsafeUnwrapErr();
    expect(e.code).toBe('INVALID_BALLOON_SIZE');
    expect(e.vm).toBe('web-1');
    expect(e.maxMb).toBe(3685);
    expect(e.memoryMb).toBe(4096);
    expect(e.message).toMatch(message);
    expect(e.message).toContain("VM 'web-1'");
    expect(e.message).toContain('from 0 to 3685');
  });

  it('keeps the number in sizeMb and null for non-numbers', () => {
    expect(validateBalloonSize(5000, 4096)._unsafeUnwrapErr().sizeMb).toBe(5000);
    expect(validateBalloonSize('5', 4096)._unsafeUnwrapErr().sizeMb).toBeNull();
  });

  it('says no size fits a VM with too little RAM', () => {
    expect(validateBalloonSize(0, 1)._unsafeUnwrapErr().message).toMatch(/No balloon fits a VM with 1 MB of RAM/u);
  });

  it('returns frozen errors', () => {
    const e = validateBalloonSize(-1, 4096)._unsafeUnwrapErr();
    expect(Object.isFrozen(e)).toBe(true);
  });
});
