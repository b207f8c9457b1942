import { describe, expect, it } from 'vitest';
import { guestFreeMeaning } from '../../src/index.js';

describe('what a guest reports as free, per guest OS (issue 23)', () => {
  it.each([
    ['Ubuntu (64-bit)', /^free is MemFree \+ Buffers \+ Cached: page cache counts as free, tmpfs and shared memory/u],
    ['Linux26_64', /^free is MemFree \+ Buffers \+ Cached/u],
    ['Windows 10 (64-bit)', /^free is the available physical memory/u],
    [null, /on Linux MemFree \+ Buffers \+ Cached, on Windows the available physical memory/u],
    ['FreeBSD (64-bit)', /^free is what the guest's Guest Additions report as free for this OS/u],
  ])('%s', (os, meaning) => {
    const text = guestFreeMeaning(os);
    expect(text).toMatch(meaning);
    expect(text).toMatch(/no swap activity, page faults or memory pressure/u);
  });
});
