import { describe, expect, it } from 'vitest';
import { checkHostSupport, type HostInfo } from '../../src/index.js';
import { hostFamily } from '../../src/domain/host.js';

const host = (os: string, is64Bit: boolean | null = true): HostInfo => ({ os, osVersion: null, memoryMb: 16384, memoryAvailableMb: 8000, is64Bit });

describe('checkHostSupport', () => {
  it.each(['Linux', 'Windows 11', 'Windows 10', 'FreeBSD', 'SunOS'])('accepts a 64-bit %s host', (os) => {
    expect(checkHostSupport(host(os))._unsafeUnwrap().os).toBe(os);
  });

  it('accepts a host whose bitness is unknown (VirtualBox 6.0+ ships 64-bit hosts only)', () => {
    expect(checkHostSupport(host('Linux', null)).isOk()).toBe(true);
  });

  it('refuses macOS with the reason VirtualBox gives', () => {
    const e = checkHostSupport(host('Darwin'))._unsafeUnwrapErr();
    if (e.code !== 'HOST_UNSUPPORTED') throw new Error(e.message);
    expect(e.os).toBe('Darwin');
    expect(e.message).toMatch(/macOS/u);
    expect(e.message).toMatch(/only supported on 64-bit hosts/u);
  });

  it('refuses a 32-bit host', () => {
    const e = checkHostSupport(host('Linux', false))._unsafeUnwrapErr();
    if (e.code !== 'HOST_UNSUPPORTED') throw new Error(e.message);
    expect(e.reason).toMatch(/32-bit/u);
  });

  it('refuses an OS VirtualBox does not balloon on', () => {
    expect(checkHostSupport(host('Haiku'))._unsafeUnwrapErr().message).toMatch(/"Haiku"/u);
  });
});

describe('hostFamily', () => {
  it.each([
    ['Darwin', 'macos'],
    ['Mac OS X', 'macos'],
    ['Windows Server 2022', 'windows'],
    ['Linux', 'linux'],
    ['SunOS', 'solaris'],
    ['FreeBSD', 'freebsd'],
    ['OpenBSD', 'other'],
  ])('%s is %s', (os, family) => {
    expect(hostFamily(os)).toBe(family);
  });
});

// Regression: issue 20 item 12. Pure checks that return a Result never throw, whatever they are given.
describe('checks that return a Result, given what they cannot read', () => {
  const values: unknown[] = [null, undefined, 'x', 42, {}, [], { os: 1 }];
  it.each(values)('%j: INVALID_ARGUMENT, never a throw', async (v) => {
    const api = await import('../../src/index.js');
    const calls = [
      () => api.checkHostSupport(v as never),
      () => api.checkPageFusionHost(v as never),
      () => api.checkLiveBalloon(v as never, 512),
      () => api.checkDefaultBalloon(v as never, 512),
      () => api.checkLargePages(v as never),
    ];
    for (const call of calls) expect(call()._unsafeUnwrapErr().code).toBe('INVALID_ARGUMENT');
  });
});
