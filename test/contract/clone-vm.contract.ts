// cloneVm, unregisterVm and reading snapshots through the port: both clients (and the real one over ssh) run every
// case, from clientContract. The texts behind them are VirtualBox's own (handleCloneVM, Machine::findSnapshot,
// Machine::i_tryCreateMachineConfigFile, Machine::unregister); the stand-in prints them.
import { describe, expect, it } from 'vitest';
import type { Backend, World } from '../helpers/backend.js';

const farm: World = {
  vms: [
    { name: 'ci-base', state: 'poweroff', memoryMb: 3072, snapshots: ['installed', 'base'] },
    { name: 'bare', state: 'poweroff' },
    { name: 'web-1', state: 'running', memoryMb: 2048 },
  ],
};

export function cloneVmContract(make: (world: World) => Backend): void {
  describe('cloneVm, unregisterVm, snapshots', () => {
    it('showVmInfo lists the snapshots in tree order and the current one', async () => {
      const h = make(farm);
      const base = (await h.client.showVmInfo('ci-base'))._unsafeUnwrap();
      expect(base.snapshots.map((s) => s.name)).toEqual(['installed', 'base']);
      for (const s of base.snapshots) expect(s.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u);
      expect(base.currentSnapshot).toEqual(base.snapshots[1]);
      const bare = (await h.client.showVmInfo('bare'))._unsafeUnwrap();
      expect(bare).toMatchObject({ snapshots: [], currentSnapshot: null });
    });

    it('a linked clone of a snapshot (by name, then by UUID) is registered, powered off, with the base RAM; one call each', async () => {
      const h = make(farm);
      const before = h.invocations();
      (await h.client.cloneVm('ci-base', { snapshot: 'base', name: 'ci-7' }))._unsafeUnwrap();
      expect(h.invocations() - before).toBe(1);
      const clone = (await h.client.showVmInfo('ci-7'))._unsafeUnwrap();
      expect(clone).toMatchObject({ name: 'ci-7', state: 'poweroff', memoryMb: 3072, snapshots: [] });
      const base = (await h.client.showVmInfo('ci-base'))._unsafeUnwrap();
      expect(clone.uuid).not.toBe(base.uuid);
      const uuid = base.snapshots[0]?.uuid ?? '';
      (await h.client.cloneVm('ci-base', { snapshot: uuid.toUpperCase(), name: 'ci-8' }))._unsafeUnwrap();
      expect((await h.client.listVms())._unsafeUnwrap().map((v) => v.name)).toEqual(['ci-base', 'bare', 'web-1', 'ci-7', 'ci-8']);
    });

    it('a base that runs can be cloned from its snapshot', async () => {
      const h = make({ vms: [{ name: 'ci-base', state: 'running', snapshots: ['base'] }] });
      (await h.client.cloneVm('ci-base', { snapshot: 'base', name: 'ci-1' }))._unsafeUnwrap();
      expect((await h.client.showVmInfo('ci-1'))._unsafeUnwrap().state).toBe('poweroff');
    });

    it('a snapshot the base does not have is SNAPSHOT_NOT_FOUND and nothing is made', async () => {
      const h = make(farm);
      const e = (await h.client.cloneVm('ci-base', { snapshot: 'golden', name: 'ci-7' }))._unsafeUnwrapErr();
      expect(e).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND', vm: 'ci-base', snapshot: 'golden' });
      expect(e.message).toMatch(/has no snapshot 'golden'.*Nothing was made/u);
      expect((await h.client.listVms())._unsafeUnwrap().map((v) => v.name)).not.toContain('ci-7');
    });

    it('a base without any snapshot is SNAPSHOT_NOT_FOUND', async () => {
      const h = make(farm);
      expect((await h.client.cloneVm('bare', { snapshot: 'base', name: 'ci-7' }))._unsafeUnwrapErr()).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND', vm: 'bare' });
    });

    it('a name that is taken is VM_EXISTS (even by an unregistered VM whose files are left) and nothing is made', async () => {
      const h = make(farm);
      const e = (await h.client.cloneVm('ci-base', { snapshot: 'base', name: 'web-1' }))._unsafeUnwrapErr();
      expect(e).toMatchObject({ code: 'VM_EXISTS', name: 'web-1' });
      expect(e.message).toMatch(/already exists.*Nothing was made/u);
      (await h.client.cloneVm('ci-base', { snapshot: 'base', name: 'ci-7' }))._unsafeUnwrap();
      (await h.client.unregisterVm('ci-7'))._unsafeUnwrap(); // files stay
      expect((await h.client.cloneVm('ci-base', { snapshot: 'base', name: 'ci-7' }))._unsafeUnwrapErr().code).toBe('VM_EXISTS');
      expect((await h.client.listVms())._unsafeUnwrap().filter((v) => v.name === 'web-1')).toHaveLength(1);
    });

    it('a base that does not exist is VM_NOT_FOUND', async () => {
      const h = make(farm);
      expect((await h.client.cloneVm('nope', { snapshot: 'base', name: 'ci-7' }))._unsafeUnwrapErr()).toMatchObject({ code: 'VM_NOT_FOUND', vm: 'nope' });
    });

    it('unregisterVm with delete removes the VM and its name can be used again', async () => {
      const h = make(farm);
      (await h.client.cloneVm('ci-base', { snapshot: 'base', name: 'ci-7' }))._unsafeUnwrap();
      const before = h.invocations();
      (await h.client.unregisterVm('ci-7', { delete: true }))._unsafeUnwrap();
      expect(h.invocations() - before).toBe(1);
      expect((await h.client.showVmInfo('ci-7'))._unsafeUnwrapErr().code).toBe('VM_NOT_FOUND');
      (await h.client.cloneVm('ci-base', { snapshot: 'base', name: 'ci-7' }))._unsafeUnwrap();
    });

    it('unregisterVm of a running VM is INVALID_VM_STATE and removes nothing', async () => {
      const h = make(farm);
      const e = (await h.client.unregisterVm('web-1', { delete: true }))._unsafeUnwrapErr();
      expect(e).toMatchObject({ code: 'INVALID_VM_STATE', vm: 'web-1', state: 'running', operation: 'unregister' });
      expect(e.message).toMatch(/power it off first.*Nothing was removed/u);
      expect((await h.client.showVmInfo('web-1'))._unsafeUnwrap().state).toBe('running');
    });

    it('a clone name built to break quoting reaches VirtualBox byte for byte', async () => {
      const h = make(farm);
      const name = `ci "7" $(touch x) 'q' \\ ;`;
      (await h.client.cloneVm('ci-base', { snapshot: 'base', name }))._unsafeUnwrap();
      expect((await h.client.showVmInfo(name))._unsafeUnwrap().name).toBe(name);
      (await h.client.unregisterVm(name, { delete: true }))._unsafeUnwrap();
    });
  });
}
