// startVm through the port: both clients (and the real one over ssh) run every case, from clientContract.
import { describe, expect, it } from 'vitest';
import type { Backend, World } from '../helpers/backend.js';

export function startVmContract(make: (world: World) => Backend): void {
  describe('startVm', () => {
    it('starts a powered-off VM by name and by UUID; the default balloon is requested at the start', async () => {
      const h = make({ vms: [{ name: 'off-1', state: 'poweroff', defaultBalloonMb: 256 }, { name: 'off-2', state: 'poweroff' }] });
      const before = h.invocations();
      (await h.client.startVm('off-1'))._unsafeUnwrap();
      expect(h.invocations() - before).toBe(1);
      expect((await h.client.showVmInfo('off-1'))._unsafeUnwrap()).toMatchObject({ state: 'running', balloonMb: 256 });
      const uuid = (await h.client.showVmInfo('off-2'))._unsafeUnwrap().uuid;
      (await h.client.startVm(uuid, { type: 'headless' }))._unsafeUnwrap();
      expect((await h.client.showVmInfo('off-2'))._unsafeUnwrap().state).toBe('running');
      expect((await h.client.listRunningVms())._unsafeUnwrap().map((v) => v.name)).toEqual(['off-1', 'off-2']);
    });

    it.each(['saved', 'aborted'] as const)('starts a %s VM', async (state) => {
      const h = make({ vms: [{ name: 'vm', state }] });
      (await h.client.startVm('vm'))._unsafeUnwrap();
      expect((await h.client.showVmInfo('vm'))._unsafeUnwrap().state).toBe('running');
    });

    it.each(['running', 'paused'] as const)('refuses a %s VM with INVALID_VM_STATE and leaves it as it was', async (state) => {
      const h = make({ vms: [{ name: 'vm', state }] });
      const r = await h.client.startVm('vm');
      expect(r._unsafeUnwrapErr()).toMatchObject({ code: 'INVALID_VM_STATE', vm: 'vm', state, operation: 'start' });
      expect(r._unsafeUnwrapErr().message).toMatch(/already runs/u);
      expect((await h.client.showVmInfo('vm'))._unsafeUnwrap().state).toBe(state);
    });

    it('an unknown VM is VM_NOT_FOUND', async () => {
      const h = make({ vms: [] });
      expect((await h.client.startVm('nope'))._unsafeUnwrapErr()).toMatchObject({ code: 'VM_NOT_FOUND', vm: 'nope' });
    });

    it('a VM whose lock another session holds is VM_LOCKED, and does not start', async () => {
      const h = make({ vms: [{ name: 'vm', state: 'poweroff' }] });
      h.lockVm('vm');
      expect((await h.client.startVm('vm'))._unsafeUnwrapErr()).toMatchObject({ code: 'VM_LOCKED' });
      h.unlockVm('vm');
      expect((await h.client.showVmInfo('vm'))._unsafeUnwrap().state).toBe('poweroff');
    });

    it('a start VirtualBox cannot back with memory fails and the VM stays off; ballooned memory makes the room', async () => {
      // 8 GB host, 2 GB for the host itself, a running 4 GB guest: 2 GB left, and the next VM needs 4 GB.
      const h = make({ host: { memoryMb: 8192, baseUsedMb: 2048 }, vms: [{ name: 'busy', state: 'running', memoryMb: 4096, usedMb: 1024 }, { name: 'next', state: 'poweroff', memoryMb: 4096 }] });
      const failed = (await h.client.startVm('next'))._unsafeUnwrapErr();
      expect(failed).toMatchObject({ code: 'VBOXMANAGE_FAILED', vm: 'next', outcome: 'not-applied' });
      expect(failed.message).toMatch(/terminated unexpectedly during startup|could back only/u);
      expect((await h.client.showVmInfo('next'))._unsafeUnwrap().state).toBe('poweroff');
      // A 2 GB balloon in the running guest gives VirtualBox the 2 GB it lacked; host free memory does not change.
      const hostBefore = (await h.client.hostMemory())._unsafeUnwrap();
      (await h.client.setLiveBalloon('busy', 2048))._unsafeUnwrap();
      expect((await h.client.hostMemory())._unsafeUnwrap()).toEqual(hostBefore);
      (await h.client.startVm('next'))._unsafeUnwrap();
      expect((await h.client.showVmInfo('next'))._unsafeUnwrap().state).toBe('running');
    });

    it.each<[string, unknown]>([
      ['an unknown type', { type: 'window' }],
      ['a type that is not a string', { type: 1 }],
      ['a timeout that is not a number', { timeoutMs: 'soon' }],
    ])('refuses %s with INVALID_ARGUMENT and runs nothing', async (_label, options) => {
      const h = make({ vms: [{ name: 'vm', state: 'poweroff' }] });
      const before = h.invocations();
      const r = await h.client.startVm('vm', options as never);
      expect(r._unsafeUnwrapErr()).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect(h.invocations()).toBe(before);
      expect((await h.client.showVmInfo('vm'))._unsafeUnwrap().state).toBe('poweroff');
    });
  });
}
