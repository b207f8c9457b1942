import { describe, expect, it } from 'vitest';
import {
  checkDefaultBalloon,
  checkLargePages,
  checkLiveBalloon,
  defaultBalloonBlockers,
  largePagesBlockers,
  liveBalloonBlockers,
  VM_STATES,
  type VmState,
} from '../../src/index.js';
import { linuxHost, makeVm } from '../helpers/vm.js';

const mac = { ...linuxHost, os: 'Darwin' };

describe('liveBalloonBlockers', () => {
  it('is empty for a running, ready VM', () => {
    expect(liveBalloonBlockers(makeVm(), 1024, linuxHost)).toEqual([]);
    expect(checkLiveBalloon(makeVm(), 1024, linuxHost)._unsafeUnwrap()).toBe(1024);
  });

  it('allows a paused VM', () => {
    expect(liveBalloonBlockers(makeVm({ state: 'paused' }), 10)).toEqual([]);
  });

  it('reports every blocker, in the order VirtualBox meets them', () => {
    const vm = makeVm({ largePages: true, guestAdditions: { runLevel: 1, version: null } });
    const codes = liveBalloonBlockers(vm, 9999, mac).map((b) => b.code);
    expect(codes).toEqual(['HOST_UNSUPPORTED', 'INVALID_BALLOON_SIZE', 'LARGE_PAGES_ENABLED', 'GUEST_ADDITIONS_NOT_RUNNING']);
    expect(checkLiveBalloon(vm, 9999, mac)._unsafeUnwrapErr().code).toBe('HOST_UNSUPPORTED');
  });

  it('names the VM in the host blocker', () => {
    expect(liveBalloonBlockers(makeVm(), 1, mac)[0]?.vm).toBe('web-1');
  });

  it.each(VM_STATES.filter((s) => s !== 'running' && s !== 'paused'))('refuses state %s', (state: VmState) => {
    const [b] = liveBalloonBlockers(makeVm({ state, guestAdditions: { runLevel: null, version: null } }), 100);
    expect(b).toMatchObject({ code: 'INVALID_VM_STATE', state, allowedStates: ['running', 'paused'], vm: 'web-1' });
  });

  it('points a VM that is off to setDefaultBalloon', () => {
    const [b] = liveBalloonBlockers(makeVm({ state: 'poweroff' }), 512);
    expect(b?.message).toContain("setDefaultBalloon('web-1', 512)");
  });

  it('tells a saved VM to start first', () => {
    const [b] = liveBalloonBlockers(makeVm({ state: 'saved' }), 512);
    expect(b?.message).toMatch(/VBoxManage startvm web-1/u);
  });

  it('does not report Guest Additions for a VM that is off (the state says it all)', () => {
    const codes = liveBalloonBlockers(makeVm({ state: 'poweroff', guestAdditions: { runLevel: null, version: null } })).map((b) => b.code);
    expect(codes).toEqual(['INVALID_VM_STATE']);
  });

  it.each([0, 1, null] as const)('refuses Guest Additions run level %s', (runLevel) => {
    const [b] = liveBalloonBlockers(makeVm({ guestAdditions: { runLevel, version: null } }));
    expect(b).toMatchObject({ code: 'GUEST_ADDITIONS_NOT_RUNNING', runLevel });
  });

  it('accepts run level 3', () => {
    expect(liveBalloonBlockers(makeVm({ guestAdditions: { runLevel: 3, version: null } }))).toEqual([]);
  });

  it('ignores large pages when not printed (ARM VMs)', () => {
    expect(liveBalloonBlockers(makeVm({ largePages: null }))).toEqual([]);
  });

  it('explains large pages with the fix', () => {
    const [b] = liveBalloonBlockers(makeVm({ largePages: true }));
    expect(b?.message).toBe(
      "VM 'web-1' has large pages enabled; VirtualBox memory ballooning does not work with large pages. Power the VM off and call disableLargePages('web-1') (VBoxManage modifyvm web-1 --largepages off).",
    );
  });

  it('checks the size against the maximum, exactly', () => {
    expect(liveBalloonBlockers(makeVm(), 3685)).toEqual([]);
    expect(liveBalloonBlockers(makeVm(), 3686).map((b) => b.code)).toEqual(['INVALID_BALLOON_SIZE']);
  });

  it('checkLiveBalloon treats a missing size as invalid', () => {
    expect(checkLiveBalloon(makeVm(), undefined)._unsafeUnwrapErr().code).toBe('INVALID_BALLOON_SIZE');
  });
});

describe('defaultBalloonBlockers', () => {
  it.each(['poweroff', 'aborted', 'teleported'] as const)('allows %s', (state) => {
    expect(defaultBalloonBlockers(makeVm({ state }), 100, linuxHost)).toEqual([]);
    expect(checkDefaultBalloon(makeVm({ state }), 100)._unsafeUnwrap()).toBe(100);
  });

  it('points a running VM to setBalloon', () => {
    const e = checkDefaultBalloon(makeVm(), 256)._unsafeUnwrapErr();
    expect(e.code).toBe('INVALID_VM_STATE');
    expect(e.message).toContain("setBalloon('web-1', 256)");
  });

  it.each(['saved', 'aborted-saved', 'paused', 'starting'] as const)('refuses %s', (state) => {
    expect(defaultBalloonBlockers(makeVm({ state }), 1).map((b) => b.code)).toEqual(['INVALID_VM_STATE']);
  });

  it('reports host, size and state together', () => {
    expect(defaultBalloonBlockers(makeVm(), -1, mac).map((b) => b.code)).toEqual(['HOST_UNSUPPORTED', 'INVALID_BALLOON_SIZE', 'INVALID_VM_STATE']);
  });

  it('refuses a macOS host even for 0', () => {
    expect(checkDefaultBalloon(makeVm({ state: 'poweroff' }), 0, mac)._unsafeUnwrapErr().code).toBe('HOST_UNSUPPORTED');
  });
});

describe('largePagesBlockers', () => {
  it('needs the VM off', () => {
    expect(largePagesBlockers(makeVm({ state: 'poweroff' }))).toEqual([]);
    expect(checkLargePages(makeVm({ state: 'aborted' })).isOk()).toBe(true);
    const e = checkLargePages(makeVm({ state: 'running' }))._unsafeUnwrapErr();
    expect(e).toMatchObject({ code: 'INVALID_VM_STATE', operation: 'large pages change' });
    expect(e.message).toMatch(/Power the VM off first/u);
  });
});

describe('the fix fits the state', () => {
  it('a saved VM is told to discard its state or start and shut down, not to power off', async () => {
    const { largePagesBlockers } = await import('../../src/index.js');
    const { makeVm } = await import('../helpers/vm.js');
    const saved = largePagesBlockers(makeVm({ state: 'saved' }))[0];
    expect(saved?.message).toMatch(/is saved, but a large pages change needs it powered off, aborted or teleported\. Discard its saved state/u);
    expect(saved?.message).not.toMatch(/acpipowerbutton/u);
    expect(largePagesBlockers(makeVm({ state: 'running' }))[0]?.message).toMatch(/acpipowerbutton/u);
  });
});
