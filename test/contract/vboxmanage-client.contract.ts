// The one statement of how VirtualBox behaves through the VBoxManageClient port. Both clients run every case.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ResultAsync } from 'neverthrow';
import type { BalloonError, BalloonErrorCode, VmState } from '../../src/index.js';
import type { Backend, BackendKind, World } from '../helpers/backend.js';
import { cloneVmContract } from './clone-vm.contract.js';
import { startVmContract } from './start-vm.contract.js';

const web: World = {
  vms: [
    { name: 'web-1', state: 'running', memoryMb: 4096, usedMb: 1024 },
    { name: 'db-1', state: 'poweroff', memoryMb: 2048, largePages: true },
    { name: 'paused-1', state: 'paused', memoryMb: 2048 },
    { name: 'saved-1', state: 'saved', memoryMb: 2048 },
    { name: 'aborted-1', state: 'aborted', memoryMb: 2048 },
  ],
};

async function codeOf<T>(r: ResultAsync<T, BalloonError>): Promise<BalloonErrorCode | 'ok'> {
  const result = await r;
  return result.isErr() ? result.error.code : 'ok';
}

export function clientContract(kind: BackendKind): void {
  const make = (world: World) => kind.make(world);
  describe(`VBoxManageClient contract: ${kind.name}`, () => {
    startVmContract(make);
    cloneVmContract(make);
    describe('reads', () => {
      it('version', async () => {
        const h = make(web);
        expect((await h.client.version())._unsafeUnwrap()).toMatchObject({ major: 7, minor: 0, build: 10, revision: 158379 });
      });

      it('hostInfo and hostMemory; balloons do not make host memory free', async () => {
        const h = make({ host: { memoryMb: 16384, baseUsedMb: 2048 }, vms: [{ name: 'a', state: 'running', memoryMb: 4096, usedMb: 512 }] });
        expect((await h.client.hostInfo())._unsafeUnwrap()).toMatchObject({ os: 'Linux', memoryMb: 16384, memoryAvailableMb: 10240 });
        const before = (await h.client.hostMemory())._unsafeUnwrap();
        expect(before).toEqual({ totalMb: 16384, freeMb: 10240, usedMb: 6144 });
        (await h.client.setLiveBalloon('a', 2048))._unsafeUnwrap();
        expect((await h.client.hostMemory())._unsafeUnwrap()).toEqual(before);
      });

      it('listVms and listRunningVms (paused VMs are listed as running)', async () => {
        const h = make(web);
        const all = (await h.client.listVms())._unsafeUnwrap();
        expect(all.map((v) => v.name)).toEqual(['web-1', 'db-1', 'paused-1', 'saved-1', 'aborted-1']);
        expect(all[0]?.uuid).toMatch(/^[0-9a-f-]{36}$/u);
        expect((await h.client.listRunningVms())._unsafeUnwrap().map((v) => v.name)).toEqual(['web-1', 'paused-1']);
      });

      it('listVms of an empty host', async () => {
        expect((await make({ vms: [] }).client.listVms())._unsafeUnwrap()).toEqual([]);
      });

      it('showVmInfo by name and by UUID', async () => {
        const h = make(web);
        const vm = (await h.client.showVmInfo('web-1'))._unsafeUnwrap();
        expect(vm).toMatchObject({ name: 'web-1', state: 'running', memoryMb: 4096, balloonMb: 0, largePages: false, guestAdditions: { runLevel: 2 } });
        const byUuid = (await h.client.showVmInfo(vm.uuid.toUpperCase()))._unsafeUnwrap();
        expect(byUuid.name).toBe('web-1');
      });

      it.each<[string, VmState]>([
        ['web-1', 'running'],
        ['db-1', 'poweroff'],
        ['paused-1', 'paused'],
        ['saved-1', 'saved'],
        ['aborted-1', 'aborted'],
      ])('showVmInfo reads %s as %s; Guest Additions only while it has a console', async (name, state) => {
        const vm = (await make(web).client.showVmInfo(name))._unsafeUnwrap();
        expect(vm.state).toBe(state);
        expect(vm.guestAdditions.runLevel).toBe(state === 'running' || state === 'paused' ? 2 : null);
      });

      it('showVmInfo of an unknown VM is VM_NOT_FOUND', async () => {
        const h = make(web);
        const e = (await h.client.showVmInfo('ghost'))._unsafeUnwrapErr();
        expect(e).toMatchObject({ code: 'VM_NOT_FOUND', vm: 'ghost' });
      });
    });

    describe('live balloon', () => {
      it('sets the balloon of a running VM; showvminfo and the metrics agree', async () => {
        const h = make(web);
        (await h.client.setLiveBalloon('web-1', 1024))._unsafeUnwrap();
        expect((await h.client.showVmInfo('web-1'))._unsafeUnwrap().balloonMb).toBe(1024);
        await h.client.guestMemory(['web-1']); // enables the metrics
        const [mem] = (await h.client.guestMemory(['web-1']))._unsafeUnwrap();
        expect(mem).toEqual({ vm: 'web-1', totalMb: 4096, freeMb: 4096 - 1024 - 1024, freeMinMb: 4096 - 1024 - 1024, balloonMb: 1024, cacheMb: 256, sharedMb: 0 });
      });

      it('a dip in free memory between two reads shows in freeMinMb (the window\'s least), not in freeMb, in the same one query', async () => {
        const h = make(web);
        await h.client.guestMemory(['web-1']); // enables the metrics
        h.spikeGuest('web-1', 3000);
        const before = h.invocations();
        const [mem] = (await h.client.guestMemory(['web-1']))._unsafeUnwrap();
        expect(h.invocations() - before).toBe(1);
        expect(mem).toMatchObject({ freeMb: 3072, freeMinMb: 4096 - 3000 });
      });

      it('works on a paused VM', async () => {
        expect(await codeOf(make(web).client.setLiveBalloon('paused-1', 100))).toBe('ok');
      });

      it('accepts the maximum and refuses one above it', async () => {
        const h = make(web);
        expect(await codeOf(h.client.setLiveBalloon('web-1', 3685))).toBe('ok');
        const e = (await h.client.setLiveBalloon('web-1', 3686))._unsafeUnwrapErr();
        expect(e).toMatchObject({ code: 'INVALID_BALLOON_SIZE', sizeMb: 3686, maxMb: 3685, vm: 'web-1' });
      });

      it.each(['db-1', 'saved-1', 'aborted-1'])('refuses %s, which is not running', async (name) => {
        expect(await codeOf(make(web).client.setLiveBalloon(name, 10))).toBe('INVALID_VM_STATE');
      });

      it('refuses an unknown VM', async () => {
        expect(await codeOf(make(web).client.setLiveBalloon('ghost', 10))).toBe('VM_NOT_FOUND');
      });

      it('never inflates past what the guest has free', async () => {
        const h = make({ vms: [{ name: 'full', state: 'running', memoryMb: 4096, usedMb: 3000 }] });
        (await h.client.setLiveBalloon('full', 2000))._unsafeUnwrap();
        await h.client.guestMemory(['full']);
        const [mem] = (await h.client.guestMemory(['full']))._unsafeUnwrap();
        expect(mem?.balloonMb).toBe(1096);
        expect(mem?.freeMb).toBe(0);
      });

      it('does nothing the guest reports without Guest Additions (run level 1)', async () => {
        const h = make({ vms: [{ name: 'bare', state: 'running', memoryMb: 2048, guestAdditionsRunLevel: 1 }] });
        expect(await codeOf(h.client.setLiveBalloon('bare', 500))).toBe('ok');
        await h.client.guestMemory(['bare']);
        expect((await h.client.guestMemory(['bare']))._unsafeUnwrap()[0]).toMatchObject({ balloonMb: null, freeMb: null });
      });

      it('the live value is lost at power-off and the default applies at the next start', async () => {
        const h = make({ vms: [{ name: 'vm', state: 'poweroff', memoryMb: 2048 }] });
        (await h.client.setDefaultBalloon('vm', 256))._unsafeUnwrap();
        h.startVm('vm');
        expect((await h.client.showVmInfo('vm'))._unsafeUnwrap().balloonMb).toBe(256);
        (await h.client.setLiveBalloon('vm', 512))._unsafeUnwrap();
        expect((await h.client.showVmInfo('vm'))._unsafeUnwrap().balloonMb).toBe(512);
        h.powerOffVm('vm');
        expect((await h.client.showVmInfo('vm'))._unsafeUnwrap().balloonMb).toBe(256);
        h.startVm('vm');
        expect((await h.client.showVmInfo('vm'))._unsafeUnwrap().balloonMb).toBe(256);
      });

      it('a saved VM loses its live balloon too', async () => {
        const h = make({ vms: [{ name: 'vm', state: 'running', memoryMb: 2048 }] });
        (await h.client.setLiveBalloon('vm', 300))._unsafeUnwrap();
        h.saveVm('vm');
        const vm = (await h.client.showVmInfo('vm'))._unsafeUnwrap();
        expect(vm).toMatchObject({ state: 'saved', balloonMb: 0 });
        expect(await codeOf(h.client.setLiveBalloon('vm', 1))).toBe('INVALID_VM_STATE');
      });
    });

    describe('hosts that cannot balloon', () => {
      it.each<[string, World['host']]>([
        ['macOS', { os: 'Darwin' }],
        ['32-bit', { is64Bit: false }],
      ])('%s refuses every balloon, even 0', async (_label, host) => {
        const h = make({ ...(host === undefined ? {} : { host }), vms: [{ name: 'on', state: 'running' }, { name: 'off', state: 'poweroff' }] });
        expect(await codeOf(h.client.setLiveBalloon('on', 0))).toBe('HOST_UNSUPPORTED');
        expect(await codeOf(h.client.setDefaultBalloon('off', 0))).toBe('HOST_UNSUPPORTED');
        expect(await codeOf(h.client.setLargePages('off', false))).toBe('ok');
      });
    });

    describe('default balloon, large pages, modifyVm', () => {
      it('sets the default balloon of a VM that is off', async () => {
        const h = make(web);
        (await h.client.setDefaultBalloon('db-1', 512))._unsafeUnwrap();
        expect((await h.client.showVmInfo('db-1'))._unsafeUnwrap().balloonMb).toBe(512);
        expect(await codeOf(h.client.setDefaultBalloon('aborted-1', 1))).toBe('ok');
      });

      it('refuses a running or paused VM: its process holds the lock', async () => {
        const h = make(web);
        expect(await codeOf(h.client.setDefaultBalloon('web-1', 1))).toBe('INVALID_VM_STATE'); // its own session holds the lock: power it off
        expect(await codeOf(h.client.setLargePages('paused-1', false))).toBe('INVALID_VM_STATE');
      });

      it('refuses a saved VM, but checks the size first', async () => {
        const h = make(web);
        expect(await codeOf(h.client.setDefaultBalloon('saved-1', 1))).toBe('INVALID_VM_STATE');
        expect(await codeOf(h.client.setDefaultBalloon('saved-1', 5000))).toBe('INVALID_BALLOON_SIZE');
        expect(await codeOf(h.client.setLargePages('saved-1', false))).toBe('INVALID_VM_STATE');
      });

      it('accepts the maximum default and refuses one above it', async () => {
        const h = make(web);
        expect(await codeOf(h.client.setDefaultBalloon('db-1', 1842))).toBe('ok');
        expect(await codeOf(h.client.setDefaultBalloon('db-1', 1843))).toBe('INVALID_BALLOON_SIZE');
      });

      it('turns large pages off', async () => {
        const h = make(web);
        (await h.client.setLargePages('db-1', false))._unsafeUnwrap();
        expect((await h.client.showVmInfo('db-1'))._unsafeUnwrap().largePages).toBe(false);
      });

      it('modifyVm applies both settings in one call', async () => {
        const h = make(web);
        const before = h.invocations();
        (await h.client.modifyVm('db-1', { defaultBalloonMb: 300, largePages: false }))._unsafeUnwrap();
        expect(h.invocations() - before).toBe(1);
        expect((await h.client.showVmInfo('db-1'))._unsafeUnwrap()).toMatchObject({ balloonMb: 300, largePages: false });
      });

      it('modifyVm applies nothing when one setting fails', async () => {
        const h = make(web);
        expect(await codeOf(h.client.modifyVm('db-1', { defaultBalloonMb: 99999, largePages: false }))).toBe('INVALID_BALLOON_SIZE');
        expect((await h.client.showVmInfo('db-1'))._unsafeUnwrap()).toMatchObject({ balloonMb: 0, largePages: true });
      });

      it('modifyVm with nothing to change is INVALID_ARGUMENT and runs nothing', async () => {
        const h = make(web);
        expect(await codeOf(h.client.modifyVm('db-1', {}))).toBe('INVALID_ARGUMENT');
        expect(h.invocations()).toBe(0);
      });

      it('a VM locked by another session gives VM_LOCKED until released', async () => {
        const h = make(web);
        h.lockVm('db-1');
        const e = (await h.client.setDefaultBalloon('db-1', 10))._unsafeUnwrapErr();
        expect(e).toMatchObject({ code: 'VM_LOCKED', transient: true });
        h.unlockVm('db-1');
        expect(await codeOf(h.client.setDefaultBalloon('db-1', 10))).toBe('ok');
      });

      it('unknown VM', async () => {
        expect(await codeOf(make(web).client.modifyVm('ghost', { largePages: false }))).toBe('VM_NOT_FOUND');
      });
    });

    describe('Page Fusion', () => {
      const fleet: World = {
        vms: [
          { name: 'win-off', state: 'poweroff', memoryMb: 4096, osType: 'Windows 10 (64-bit)', largePages: true },
          { name: 'win-on', state: 'running', memoryMb: 4096, usedMb: 2048, osType: 'Windows 10 (64-bit)', pageFusion: true },
          { name: 'linux-on', state: 'running', memoryMb: 4096, usedMb: 2048, pageFusion: true },
          { name: 'win-plain', state: 'running', memoryMb: 4096, usedMb: 2048, osType: 'Windows 10 (64-bit)' },
          { name: 'win-saved', state: 'saved', memoryMb: 4096, osType: 'Windows 10 (64-bit)' },
        ],
      };
      const fusionOf = async (h: Backend, vm: string): Promise<boolean | null> => (await h.client.showVmInfo(vm))._unsafeUnwrap().pageFusion;

      it('showVmInfo reads it', async () => {
        const h = make(fleet);
        expect([await fusionOf(h, 'win-off'), await fusionOf(h, 'win-on'), await fusionOf(h, 'linux-on')]).toEqual([false, true, true]);
      });

      it('modifyVm turns it on and off on a VM that is off', async () => {
        const h = make(fleet);
        (await h.client.modifyVm('win-off', { pageFusion: true }))._unsafeUnwrap();
        expect(await fusionOf(h, 'win-off')).toBe(true);
        (await h.client.modifyVm('win-off', { pageFusion: false }))._unsafeUnwrap();
        expect(await fusionOf(h, 'win-off')).toBe(false);
      });

      it('modifyVm applies it with the default balloon and large pages in one call, or nothing at all', async () => {
        const h = make(fleet);
        expect(await codeOf(h.client.modifyVm('win-off', { defaultBalloonMb: 99999, largePages: false, pageFusion: true }))).toBe('INVALID_BALLOON_SIZE');
        expect((await h.client.showVmInfo('win-off'))._unsafeUnwrap()).toMatchObject({ balloonMb: 0, largePages: true, pageFusion: false });
        const before = h.invocations();
        (await h.client.modifyVm('win-off', { defaultBalloonMb: 300, largePages: false, pageFusion: true }))._unsafeUnwrap();
        expect(h.invocations() - before).toBe(1);
        expect((await h.client.showVmInfo('win-off'))._unsafeUnwrap()).toMatchObject({ balloonMb: 300, largePages: false, pageFusion: true });
      });

      it.each(['win-plain', 'win-saved'])('modifyVm refuses %s, which is not off, and changes nothing', async (vm) => {
        const h = make(fleet);
        expect(await codeOf(h.client.modifyVm(vm, { pageFusion: true }))).toBe('INVALID_VM_STATE');
        expect(await fusionOf(h, vm)).toBe(false);
      });

      it.each<[string, World['host']]>([
        ['macOS', { os: 'Darwin' }],
        ['32-bit', { is64Bit: false }],
      ])('a %s host refuses it, even turning it off, naming Page Fusion', async (_label, host) => {
        const h = make({ ...(host === undefined ? {} : { host }), vms: fleet.vms });
        for (const pageFusion of [true, false]) {
          const e = (await h.client.modifyVm('win-off', { pageFusion }))._unsafeUnwrapErr();
          expect(e).toMatchObject({ code: 'HOST_UNSUPPORTED', vm: 'win-off' });
          expect(e.message).toMatch(/Page Fusion/u);
        }
        expect(await codeOf(h.client.modifyVm('win-off', { largePages: false }))).toBe('ok');
      });

      it('guestMemory reports the shared memory in the same one query: Windows guests with Page Fusion on share, others 0', async () => {
        const h = make(fleet);
        const vms = ['win-on', 'linux-on', 'win-plain'];
        await h.client.guestMemory(vms); // enables the metrics
        const before = h.invocations();
        const rows = (await h.client.guestMemory(vms))._unsafeUnwrap();
        expect(h.invocations() - before).toBe(1);
        expect(rows.map((r) => [r.vm, r.sharedMb])).toEqual([['win-on', 256], ['linux-on', 0], ['win-plain', 0]]);
        expect((await h.client.guestMemory(['win-off']))._unsafeUnwrap()[0]?.sharedMb).toBeNull();
      });
    });

    describe('guest memory', () => {
      it('reports null for a VM that is not running and values for a running one, in one query', async () => {
        const h = make(web);
        await h.client.guestMemory(['web-1']);
        const rows = (await h.client.guestMemory(['web-1', 'db-1']))._unsafeUnwrap();
        expect(rows).toEqual([
          { vm: 'web-1', totalMb: 4096, freeMb: 3072, freeMinMb: 3072, balloonMb: 0, cacheMb: 256, sharedMb: 0 },
          { vm: 'db-1', totalMb: null, freeMb: null, freeMinMb: null, balloonMb: null, cacheMb: null, sharedMb: null },
        ]);
      });

      it('accepts UUIDs', async () => {
        const h = make(web);
        const uuid = (await h.client.showVmInfo('web-1'))._unsafeUnwrap().uuid;
        await h.client.guestMemory([uuid]);
        expect((await h.client.guestMemory([uuid]))._unsafeUnwrap()[0]).toMatchObject({ vm: uuid, totalMb: 4096 });
      });

      it('an unknown VM is VM_NOT_FOUND', async () => {
        expect(await codeOf(make(web).client.guestMemory(['web-1', 'ghost']))).toBe('VM_NOT_FOUND');
      });

      it('metrics start disabled after every VM start', async () => {
        const h = make({ vms: [{ name: 'vm', state: 'running', memoryMb: 2048 }] });
        await h.client.guestMemory(['vm']);
        expect((await h.client.guestMemory(['vm']))._unsafeUnwrap()[0]?.totalMb).toBe(2048);
        h.powerOffVm('vm');
        h.startVm('vm');
        // The first answer after a restart may be empty; the client sets metrics up again and they come back.
        await h.client.guestMemory(['vm']);
        await h.client.guestMemory(['vm']);
        expect((await h.client.guestMemory(['vm']))._unsafeUnwrap()[0]?.totalMb).toBe(2048);
      });

      it('asking for nothing runs nothing', async () => {
        const h = make(web);
        expect((await h.client.guestMemory([]))._unsafeUnwrap()).toEqual([]);
        expect(h.invocations()).toBe(0);
      });

      it('the number of calls does not grow with the number of VMs', async () => {
        const vms = Array.from({ length: 12 }, (_, i) => ({ name: `vm-${i}`, state: 'running' as const }));
        const h = make({ vms });
        await h.client.guestMemory(vms.map((v) => v.name)); // setup + query
        const before = h.invocations();
        const rows = (await h.client.guestMemory(vms.map((v) => v.name)))._unsafeUnwrap();
        expect(rows).toHaveLength(12);
        expect(h.invocations() - before).toBe(1);
      });
    });

    describe('bad input never reaches VirtualBox', () => {
      it.each(['', '--help', '-x', 'a\nb', 'nul\0'])('VM reference %j is INVALID_ARGUMENT', async (ref) => {
        const h = make(web);
        expect(await codeOf(h.client.showVmInfo(ref))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(h.client.setLiveBalloon(ref, 1))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(h.client.modifyVm(ref, { largePages: false }))).toBe('INVALID_ARGUMENT');
        expect(await codeOf(h.client.guestMemory([ref]))).toBe('INVALID_ARGUMENT');
        expect(h.invocations()).toBe(0);
      });

      it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 32])('size %s is INVALID_BALLOON_SIZE', async (size) => {
        const h = make(web);
        expect(await codeOf(h.client.setLiveBalloon('web-1', size))).toBe('INVALID_BALLOON_SIZE');
        expect(await codeOf(h.client.setDefaultBalloon('db-1', size))).toBe('INVALID_BALLOON_SIZE');
        expect(h.invocations()).toBe(0);
      });

      it('says why a size is refused before the VM is known', async () => {
        const h = make(web);
        expect((await h.client.setLiveBalloon('web-1', 2 ** 32))._unsafeUnwrapErr().message).toMatch(/does not fit in 32 bits/u);
        expect((await h.client.setLiveBalloon('web-1', '10' as unknown as number))._unsafeUnwrapErr().message).toMatch(/is a string, not a number/u);
      });

      it('an already aborted signal is ABORTED and runs nothing', async () => {
        const h = make(web);
        const signal = AbortSignal.abort();
        expect(await codeOf(h.client.showVmInfo('web-1', { signal }))).toBe('ABORTED');
        expect(await codeOf(h.client.setLiveBalloon('web-1', 1, { signal }))).toBe('ABORTED');
        expect(h.invocations()).toBe(0);
      });
    });

    describe('hostile VM names', () => {
      const hostile = ['a"b', 'x $(touch CANARY)', '; rm -rf ~', 'with  spaces ', 'unicodé ☃ 名前', 'back\\slash', "it's", '`id`'];
      it.each(hostile)('%j works end to end and runs no shell', async (name) => {
        const h = make({ vms: [{ name, state: 'running', memoryMb: 2048 }] });
        const vm = (await h.client.showVmInfo(name))._unsafeUnwrap();
        expect(vm.name).toBe(name);
        (await h.client.setLiveBalloon(name, 100))._unsafeUnwrap();
        expect((await h.client.listVms())._unsafeUnwrap()[0]?.name).toBe(name);
        await h.client.guestMemory([name]);
        expect((await h.client.guestMemory([name]))._unsafeUnwrap()[0]?.balloonMb).toBe(100);
        expect(existsSync('CANARY')).toBe(false);
        expect(existsSync(process.env['HOME'] ?? '/root')).toBe(true);
      });
    });
  });
}
