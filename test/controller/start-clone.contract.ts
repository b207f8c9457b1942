// Starting a new linked clone with room, and giving it back with delete: the same cases over the in-memory host and
// over the real client with the VBoxManage stand-in.
import { describe, expect, it } from 'vitest';
import type { BackendKind, World } from '../helpers/backend.js';

// 16 GB host: web runs (4 GB, 512 MB used); the base is off with two snapshots; a clone needs 3072 + 128 MB.
const farm: World = {
  host: { memoryMb: 16_384, baseUsedMb: 2048 },
  vms: [
    { name: 'web', state: 'running', memoryMb: 4096, usedMb: 512 },
    { name: 'ci-base', state: 'poweroff', memoryMb: 3072, snapshots: ['installed', 'base'] },
  ],
};

export function startCloneContract(kind: BackendKind): void {
  const make = (world: World) => kind.make(world);
  describe(`start a clone with room, over ${kind.name}`, () => {
    it('planStart of a clone plans with the base RAM, starts with clonevm, and makes nothing', async () => {
      const h = make(farm);
      const plan = (await h.vbox.planStart('ci-7', { clone: { from: 'ci-base', snapshot: 'base' } }))._unsafeUnwrap();
      expect(plan).toMatchObject({ vm: 'ci-7', memoryMb: 3072, needMb: 3200, fits: true });
      expect(plan.commands[0]?.slice(0, 3)).toEqual(['clonevm', expect.stringMatching(/^[0-9a-f-]{36}$/u), '--snapshot']);
      expect(plan.commands.at(-1)?.[0]).toBe('startvm');
      expect(h.argvs().filter((a) => a[0] === 'clonevm')).toEqual([]);
    });

    it('startWithRoom makes the clone, starts it by UUID, and giveBack with delete removes it once it is off', async () => {
      const h = make(farm);
      const r = (await h.vbox.startWithRoom('ci-7', { clone: { from: 'ci-base' } }))._unsafeUnwrap();
      expect(r).toMatchObject({ vm: 'ci-7', started: true, state: 'running', clone: { from: 'ci-base', snapshot: 'base', name: 'ci-7' } });
      expect(r.clone?.uuid).toBe(r.uuid);
      expect(r.room.clone).toEqual({ from: 'ci-base', snapshot: 'base' });
      const cloneAt = h.argvs().findIndex((a) => a[0] === 'clonevm');
      const startAt = h.argvs().findIndex((a) => a[0] === 'startvm');
      expect(cloneAt).toBeGreaterThan(-1);
      expect(startAt).toBeGreaterThan(cloneAt);
      expect(h.argvs()[startAt]?.[1]).toBe(r.uuid);
      // While it runs: refused, force or not, and nothing is changed.
      for (const force of [false, true]) {
        const e = (await h.vbox.giveBack(r, { delete: true, force }))._unsafeUnwrapErr();
        expect(e).toMatchObject({ code: 'INVALID_VM_STATE', vm: 'ci-7', operation: 'unregister' });
      }
      expect(h.argvs().filter((a) => a[0] === 'unregistervm')).toEqual([]);
      h.powerOffVm('ci-7');
      const back = (await h.vbox.giveBack(r.room, { delete: true }))._unsafeUnwrap();
      expect(back.deleted).toBe(true);
      expect(h.argvs().filter((a) => a[0] === 'unregistervm')).toEqual([['unregistervm', r.uuid, '--delete']]);
      expect((await h.vbox.client.showVmInfo('ci-7'))._unsafeUnwrapErr().code).toBe('VM_NOT_FOUND');
    });

    it('a start that fails after the clone was made removes the clone again, and the error says so', async () => {
      const h = make(farm);
      h.fail('startVm', 'failed');
      const e = (await h.vbox.startWithRoom('ci-7', { clone: { from: 'ci-base', snapshot: 'base' } }))._unsafeUnwrapErr();
      expect(e.code).toBe('APPLY_FAILED');
      if (e.code !== 'APPLY_FAILED') return;
      expect(e.clone).toMatchObject({ name: 'ci-7', removed: true, error: null });
      expect(e.message).toMatch(/clone 'ci-7' had been made .* it was removed again/u);
      expect((await h.vbox.client.listVms())._unsafeUnwrap().map((v) => v.name)).toEqual(['web', 'ci-base']);
    });

    it('a missing snapshot, a name that is taken or a missing base: refused before anything is made', async () => {
      const h = make(farm);
      const cases = [
        [{ from: 'ci-base', snapshot: 'golden' }, 'ci-7', 'SNAPSHOT_NOT_FOUND'],
        [{ from: 'ci-base' }, 'web', 'VM_EXISTS'],
        [{ from: 'nope' }, 'ci-7', 'VM_NOT_FOUND'],
        [{ from: 'web' }, 'ci-7', 'SNAPSHOT_NOT_FOUND'],
      ] as const;
      for (const [clone, name, code] of cases) {
        expect((await h.vbox.startWithRoom(name, { clone }))._unsafeUnwrapErr().code).toBe(code);
      }
      expect(h.argvs().filter((a) => a[0] !== 'showvminfo' && a[0] !== 'list' && a[0] !== 'metrics')).toEqual([]);
    });

    it('giveBack with delete of a VM that was not cloned is refused, and nothing changes', async () => {
      const h = make(farm);
      const e = (await h.vbox.giveBack({ vm: 'web', uuid: '00000000-0000-4000-8000-000000000001', taken: [] }, { delete: true }))._unsafeUnwrapErr();
      expect(e).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options.delete' });
      expect(h.argvs().filter((a) => a[0] === 'unregistervm' || a[0] === 'controlvm')).toEqual([]);
    });
  });
}
