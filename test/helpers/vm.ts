import type { HostInfo, VmInfo } from '../../src/index.js';

/** A running, balloon-ready VM with 4096 MB of RAM; override what a test needs. */
export function makeVm(overrides: Partial<VmInfo> = {}): VmInfo {
  return {
    name: 'web-1',
    uuid: '11111111-2222-3333-4444-555555555555',
    state: 'running',
    memoryMb: 4096,
    balloonMb: 0,
    largePages: false,
    pageFusion: false,
    guestAdditions: { runLevel: 2, version: '7.0.10 r158379' },
    osType: 'Ubuntu (64-bit)',
    snapshots: [],
    currentSnapshot: null,
    raw: new Map(),
    ...overrides,
  };
}

export const linuxHost: HostInfo = { os: 'Linux', osVersion: '6.1.0', memoryMb: 65536, memoryAvailableMb: 32000, is64Bit: true };
