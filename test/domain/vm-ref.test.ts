import { describe, expect, it } from 'vitest';
import { validateVmRef } from '../../src/index.js';
import { isUuid } from '../../src/domain/vm-ref.js';

describe('validateVmRef', () => {
  it.each(['web-1', 'Company Router', 'a"b', 'x $(touch CANARY)', '; rm -rf ~', 'unicodé ☃', 'back\\slash', '7a6fec6f-ace1-4d51-95ea-f3b20eacc5c7'])(
    'accepts %j as it is',
    (ref) => {
      expect(validateVmRef(ref)._unsafeUnwrap()).toBe(ref);
    },
  );

  it.each([
    [42, /is a number, not a string/u],
    [null, /is a null, not a string/u],
    [undefined, /is a undefined, not a string/u],
    ['', /is empty/u],
    ['--help', /starts with "-".*Use the VM's UUID/u],
    ['-x', /starts with "-"/u],
    ['a\0b', /NUL/u],
    ['a\nb', /line break/u],
    ['a\rb', /line break/u],
  ])('refuses %j', (value, message) => {
    const e = validateVmRef(value)._unsafeUnwrapErr();
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.argument).toBe('VM reference');
    expect(e.message).toMatch(message);
  });
});

describe('isUuid', () => {
  it('knows a UUID with or without braces', () => {
    expect(isUuid('7a6fec6f-ace1-4d51-95ea-f3b20eacc5c7')).toBe(true);
    expect(isUuid('{7A6FEC6F-ACE1-4D51-95EA-F3B20EACC5C7}')).toBe(true);
    expect(isUuid('web-1')).toBe(false);
  });
});
