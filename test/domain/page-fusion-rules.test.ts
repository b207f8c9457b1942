// The pure Page Fusion rules: which hosts have it, in which states it can change, which guests it helps.
import { describe, expect, it } from 'vitest';
import { checkPageFusionHost, pageFusionBlockers } from '../../src/index.js';
import { pageFusionGuest, settingsBlockers } from '../../src/domain/balloon-rules.js';
import { linuxHost, makeVm } from '../helpers/vm.js';

const off = makeVm({ state: 'poweroff' });

describe('checkPageFusionHost', () => {
  it.each([
    ['Linux', linuxHost, true],
    ['Windows', { ...linuxHost, os: 'Windows 11' }, true],
    ['FreeBSD', { ...linuxHost, os: 'FreeBSD' }, true],
    ['macOS', { ...linuxHost, os: 'Darwin' }, false],
    ['32-bit Linux', { ...linuxHost, is64Bit: false }, false],
  ])('%s: %s', (_label, host, ok) => {
    const r = checkPageFusionHost(host);
    expect(r.isOk()).toBe(ok);
    if (r.isErr()) expect(r.error.message).toMatch(/^This host cannot use Page Fusion: .*leave pageFusion out/u);
  });
});

describe('pageFusionBlockers', () => {
  it('nothing blocks a VM that is off on a Linux host', () => {
    expect(pageFusionBlockers(off, linuxHost)).toEqual([]);
  });

  it('a running VM and a macOS host: both reasons, the host first', () => {
    const b = pageFusionBlockers(makeVm({ state: 'running' }), { ...linuxHost, os: 'Darwin' });
    expect(b.map((x) => x.code)).toEqual(['HOST_UNSUPPORTED', 'INVALID_VM_STATE']);
    expect(b[0]).toMatchObject({ vm: 'web-1' });
  });

  it('without a host, only the state', () => {
    expect(pageFusionBlockers(makeVm({ state: 'saved' })).map((x) => x.code)).toEqual(['INVALID_VM_STATE']);
  });
});

describe('settingsBlockers: one modifyvm, the state told once', () => {
  const running = makeVm({ state: 'running' });
  it.each([
    [{ pageFusion: true }, ['INVALID_VM_STATE']],
    [{ pageFusion: true, largePages: false }, ['INVALID_VM_STATE']],
    [{ pageFusion: true, defaultBalloonMb: 256 }, ['INVALID_VM_STATE']],
    [{ largePages: false }, ['INVALID_VM_STATE']],
  ])('%j on a running VM', (settings, codes) => {
    expect(settingsBlockers(running, settings, linuxHost).map((b) => b.code)).toEqual(codes);
  });

  it('a macOS host: the ballooning and the Page Fusion reason', () => {
    expect(settingsBlockers(off, { pageFusion: true, defaultBalloonMb: 256 }, { ...linuxHost, os: 'Darwin' }).map((b) => b.code)).toEqual(['HOST_UNSUPPORTED', 'HOST_UNSUPPORTED']);
    expect(settingsBlockers(off, { largePages: false }, { ...linuxHost, os: 'Darwin' })).toEqual([]);
  });
});

describe('pageFusionGuest', () => {
  it.each([
    ['Windows 10 (64-bit)', true],
    ['Windows 2000', true],
    ['Windows XP (32-bit)', true],
    ['Windows Server 2019 (64-bit)', true],
    ['Windows10_64', true],
    ['Other Windows (32-bit)', true],
    ['Windows 98', false],
    ['Windows ME', false],
    ['Windows NT 4', false],
    ['WindowsNT4', false],
    ['Windows 3.1', false],
    ['Ubuntu (64-bit)', false],
    ['Other Linux (32-bit)', false],
    [null, null],
  ])('%j: %s', (osType, expected) => {
    expect(pageFusionGuest(osType)).toBe(expected);
  });
});
