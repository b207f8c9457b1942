// BalloonController over both clients: the same cases, the same answers.
import { describe, expect, it } from 'vitest';
import { BalloonController, type BalloonError } from '../../src/index.js';
import type { Backend, BackendKind, World } from '../helpers/backend.js';

const world: World = {
  host: { memoryMb: 32768 },
  vms: [
    { name: 'web-1', state: 'running', memoryMb: 4096, usedMb: 1024 },
    { name: 'web-2', state: 'running', memoryMb: 4096, usedMb: 2048 },
    { name: 'build-1', state: 'running', memoryMb: 8192, usedMb: 1024 },
    { name: 'db-1', state: 'poweroff', memoryMb: 2048, largePages: true },
    { name: 'bare', state: 'running', memoryMb: 2048, guestAdditionsRunLevel: 1 },
    { name: 'saved-1', state: 'saved', memoryMb: 2048 },
  ],
};

function setup(make: (world: World) => Backend, w: World = world) {
  const h = make(w);
  return { h, vbox: h.vbox, events: h.events };
}

/** The UUID the harnesses give the n-th VM of a world (from 1). */
const uuidOf = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const WEB1 = uuidOf(1);
const DB1 = uuidOf(4);

const codes = (e: BalloonError): string[] => (e.code === 'BLOCKED' ? e.blockers.map((b) => b.code) : [e.code]);

export function controllerContract(kind: BackendKind): void {
  const make = (w: World) => kind.make(w);
  describe(`BalloonController over ${kind.name}`, () => {
    describe('hostSupport', () => {
      it('a Linux host is supported', async () => {
        const { vbox } = setup(make);
        expect((await vbox.hostSupport())._unsafeUnwrap()).toMatchObject({ os: 'Linux', supported: true, reasons: [] });
      });

      it('a macOS host is not, with the reason', async () => {
        const { vbox } = setup(make, { host: { os: 'Darwin' }, vms: [] });
        const s = (await vbox.hostSupport())._unsafeUnwrap();
        expect(s.supported).toBe(false);
        expect(s.reasons[0]).toMatch(/macOS/u);
      });

      it('an aborted signal is ABORTED', async () => {
        const { vbox } = setup(make);
        expect((await vbox.hostSupport({ signal: AbortSignal.abort() }))._unsafeUnwrapErr().code).toBe('ABORTED');
      });
    });

    describe('inspect', () => {
      it('a running VM: requested and achieved balloon, guest memory, what is allowed', async () => {
        const { vbox } = setup(make);
        await vbox.inspect('web-1'); // metrics are enabled by the first look
        const s = (await vbox.inspect('web-1'))._unsafeUnwrap();
        expect(s).toMatchObject({
          name: 'web-1',
          state: 'running',
          memoryMb: 4096,
          maxBalloonMb: 3685,
          balloon: { requestedMb: 0, actualMb: 0 },
          guest: { totalMb: 4096, freeMb: 3072 },
          unreported: null,
          live: { allowed: true, blockers: [] },
          default: { allowed: false },
        });
        expect(s.default.blockers.map((b) => b.code)).toEqual(['INVALID_VM_STATE']);
        // What free memory means for its OS (Ubuntu), and that swapping cannot be seen.
        expect(s.guest).toMatchObject({ freeMinMb: 3072 });
        expect(s.guest?.freeMeans).toMatch(/^free is MemFree \+ Buffers \+ Cached: page cache counts as free, tmpfs .* no swap activity/u);
      });

      it('a VM that is off says why guest figures are missing', async () => {
        const { vbox } = setup(make);
        const s = (await vbox.inspect('db-1'))._unsafeUnwrap();
        expect(s).toMatchObject({ state: 'poweroff', guest: null, balloon: { actualMb: null }, default: { allowed: true } });
        expect(s.unreported).toMatch(/powered off/u);
        expect(s.live.blockers.map((b) => b.code)).toEqual(['INVALID_VM_STATE', 'LARGE_PAGES_ENABLED']);
      });

      it('no Guest Additions: says so', async () => {
        const { vbox } = setup(make);
        await vbox.inspect('bare');
        const s = (await vbox.inspect('bare'))._unsafeUnwrap();
        expect(s.unreported).toMatch(/Guest Additions are not running \(run level 1\)/u);
        expect(s.live.blockers.map((b) => b.code)).toEqual(['GUEST_ADDITIONS_NOT_RUNNING']);
      });

      it('a macOS host blocks every balloon in the status', async () => {
        const { vbox } = setup(make, { host: { os: 'Darwin' }, vms: [{ name: 'm', state: 'running' }] });
        const s = (await vbox.inspect('m'))._unsafeUnwrap();
        expect(s.live.blockers.map((b) => b.code)).toEqual(['HOST_UNSUPPORTED']);
      });

      it.each([
        ['--help', 'INVALID_ARGUMENT'],
        ['ghost', 'VM_NOT_FOUND'],
      ])('%s is %s', async (vm, code) => {
        const { vbox, h } = setup(make);
        expect((await vbox.inspect(vm))._unsafeUnwrapErr().code).toBe(code);
        if (code === 'INVALID_ARGUMENT') expect(h.invocations()).toBe(0);
      });

      it('a warm inspect of a running VM costs at most 3 calls', async () => {
        const { vbox, h } = setup(make);
        await vbox.inspect('web-1');
        const before = h.invocations();
        (await vbox.inspect('web-1'))._unsafeUnwrap();
        expect(h.invocations() - before).toBeLessThanOrEqual(3);
      });
    });

    describe('inspectAll', () => {
      it('every VBoxManage run reaches onEvent, metrics setup included', async () => {
        const { vbox, h, events } = setup(make);
        await vbox.inspectAll();
        const told = events.flatMap((e) => (e.type === 'command' ? [e.argv.join(' ')] : []));
        const ran = h.argvs().map((a) => a.join(' '));
        expect(ran.some((a) => a.startsWith('metrics setup'))).toBe(true);
        expect([...told].sort()).toEqual([...ran].sort());
      });

      it('every VM, with one metrics query for the running ones', async () => {
        const { vbox, h } = setup(make);
        await vbox.inspectAll();
        const before = h.invocations();
        const all = (await vbox.inspectAll())._unsafeUnwrap();
        expect(all.map((s) => s.name)).toEqual(world.vms.map((v) => v.name));
        expect(all.find((s) => s.name === 'build-1')?.guest).toMatchObject({ totalMb: 8192, freeMb: 7168, freeMinMb: 7168 });
        // one showvminfo per VM, plus list vms, the metrics query and, for a guest that never reports, metrics setup
        const calls = h.invocations() - before;
        expect(calls).toBeGreaterThanOrEqual(world.vms.length + 2);
        expect(calls).toBeLessThanOrEqual(world.vms.length + 3);
      });
    });

    describe('a VM named like an option', () => {
      it('does not break calls about many VMs: it is reached by UUID', async () => {
        const { vbox } = setup(make, { vms: [{ name: '--evil', state: 'running', memoryMb: 4096, usedMb: 500 }, { name: 'ok', state: 'running', memoryMb: 4096 }] });
        await vbox.inspectAll();
        const all = (await vbox.inspectAll())._unsafeUnwrap();
        expect(all.find((s) => s.name === '--evil')?.guest?.freeMb).toBe(3596);
        const r = (await vbox.reclaim({ megabytes: 3000 }))._unsafeUnwrap();
        expect(r.plan[0]).toMatchObject({ guestFreeMb: 3596, takeMb: 3000 }); // the most free: the oddly named VM, by UUID
        expect(r.plan[0]).toMatchObject({ vm: '--evil', uuid: uuidOf(1) }); // named for people, reached by UUID
        expect(r.applied[0]?.commands).toEqual([['controlvm', uuidOf(1), 'guestmemoryballoon', '3000']]);
        expect((await vbox.restore())._unsafeUnwrap().failed).toEqual([]);
      });
    });

    describe('setBalloon', () => {
      it('changes a running VM with 2 calls and reports the command', async () => {
        const { vbox, h, events } = setup(make);
        const change = (await vbox.setBalloon('web-1', 1024))._unsafeUnwrap();
        expect(change).toEqual({ vm: 'web-1', uuid: WEB1, kind: 'live', fromMb: 0, toMb: 1024, commands: [['controlvm', WEB1, 'guestmemoryballoon', '1024']], dryRun: false });
        expect(h.invocations()).toBe(2);
        expect(events.filter((e) => e.type === 'change')).toHaveLength(1);
        expect((await vbox.inspect('web-1'))._unsafeUnwrap().balloon.requestedMb).toBe(1024);
      });

      it('a dry run checks everything with 1 call and changes nothing', async () => {
        const { vbox, h } = setup(make);
        const change = (await vbox.setBalloon('web-1', 1024, { dryRun: true }))._unsafeUnwrap();
        expect(change).toMatchObject({ dryRun: true, commands: [['controlvm', WEB1, 'guestmemoryballoon', '1024']] });
        expect(h.invocations()).toBe(1);
        expect((await h.client.showVmInfo('web-1'))._unsafeUnwrap().balloonMb).toBe(0);
      });

      it('waits until the guest gets there', async () => {
        const { vbox } = setup(make);
        const seen: (number | null)[] = [];
        const change = (await vbox.setBalloon('web-1', 512, { wait: { timeoutMs: 5000, pollMs: 10, onProgress: (p) => seen.push(p.actualMb) } }))._unsafeUnwrap();
        expect(change.wait).toMatchObject({ reached: true, actualMb: 512, ended: 'reached', error: null });
        expect(seen.at(-1)).toBe(512);
      });

      it('running out of time keeps the partial progress and is not an error', async () => {
        const { vbox, events } = setup(make, { vms: [{ name: 'tight', state: 'running', memoryMb: 4096, usedMb: 3500 }] });
        const change = (await vbox.setBalloon('tight', 2000, { wait: { timeoutMs: 200, pollMs: 50, toleranceMb: 8 } }))._unsafeUnwrap();
        expect(change.wait).toMatchObject({ reached: false, actualMb: 596 });
        expect(events.some((e) => e.type === 'warning' && /reached 596 of 2000/u.test(e.message))).toBe(true);
      });

      it('reports every blocker together, before any change', async () => {
        const { vbox, h } = setup(make);
        const e = (await vbox.setBalloon('db-1', 99999))._unsafeUnwrapErr();
        expect(e.code).toBe('BLOCKED');
        expect(codes(e)).toEqual(['INVALID_BALLOON_SIZE', 'INVALID_VM_STATE', 'LARGE_PAGES_ENABLED']);
        expect(e.message).toMatch(/3 reasons/u);
        expect(h.invocations()).toBe(1);
      });

      it.each<[string, number, string[]]>([
        ['saved-1', 10, ['INVALID_VM_STATE']],
        ['bare', 10, ['GUEST_ADDITIONS_NOT_RUNNING']],
        ['web-1', 3686, ['INVALID_BALLOON_SIZE']],
      ])('%s to %d is blocked by %j', async (vm, size, expected) => {
        const { vbox } = setup(make);
        expect(codes((await vbox.setBalloon(vm, size))._unsafeUnwrapErr())).toEqual(expected);
      });

      it('the maximum is accepted', async () => {
        const { vbox } = setup(make);
        expect((await vbox.setBalloon('web-1', 3685)).isOk()).toBe(true);
      });

      it('large pages can be allowed explicitly, with a warning', async () => {
        const { vbox, events } = setup(make, { vms: [{ name: 'lp', state: 'running', memoryMb: 2048, largePages: true }] });
        expect(codes((await vbox.setBalloon('lp', 100))._unsafeUnwrapErr())).toEqual(['LARGE_PAGES_ENABLED']);
        expect((await vbox.setBalloon('lp', 100, { allowLargePages: true })).isOk()).toBe(true);
        expect(events.some((e) => e.type === 'warning' && /large pages/u.test(e.message))).toBe(true);
      });

      it('on a macOS host, VirtualBox itself refuses (HOST_UNSUPPORTED), and a known host blocks up front', async () => {
        const { vbox, h } = setup(make, { host: { os: 'Darwin' }, vms: [{ name: 'm', state: 'running' }] });
        expect((await vbox.setBalloon('m', 0))._unsafeUnwrapErr().code).toBe('HOST_UNSUPPORTED');
        await vbox.hostSupport();
        const before = h.invocations();
        expect(codes((await vbox.setBalloon('m', 0))._unsafeUnwrapErr())).toEqual(['HOST_UNSUPPORTED']);
        expect(h.invocations() - before).toBe(1);
      });

      it.each<[string, unknown, string]>([
        ['-x', 10, 'INVALID_ARGUMENT'],
        ['web-1', '10', 'INVALID_BALLOON_SIZE'],
        ['web-1', -5, 'INVALID_BALLOON_SIZE'],
        ['web-1', 2.5, 'INVALID_BALLOON_SIZE'],
      ])('bad input %j, %j is %s and spawns nothing', async (vm, size, code) => {
        const { vbox, h } = setup(make);
        expect((await vbox.setBalloon(vm, size as number))._unsafeUnwrapErr().code).toBe(code);
        expect(h.invocations()).toBe(0);
      });

      it('an unknown VM is VM_NOT_FOUND', async () => {
        const { vbox } = setup(make);
        expect((await vbox.setBalloon('ghost', 1))._unsafeUnwrapErr().code).toBe('VM_NOT_FOUND');
      });

      it('a VM stopped between the check and the change gives VirtualBox\'s INVALID_VM_STATE', async () => {
        const { vbox, h } = setup(make);
        const vm = 'web-2';
        const controller = new BalloonController({
          client: h.client,
          onEvent: (e) => {
            if (e.type === 'command' && e.argv[0] === 'controlvm') h.powerOffVm(vm);
          },
        });
        expect((await controller.setBalloon(vm, 100))._unsafeUnwrapErr().code).toBe('INVALID_VM_STATE');
        expect(vbox).toBeDefined();
      });
    });

    describe('setDefaultBalloon, disableLargePages, prepare', () => {
      it('sets the default of a VM that is off', async () => {
        const { vbox } = setup(make);
        expect((await vbox.setDefaultBalloon('db-1', 256))._unsafeUnwrap()).toMatchObject({ kind: 'default', fromMb: 0, toMb: 256, dryRun: false });
        expect((await vbox.inspect('db-1'))._unsafeUnwrap().balloon.requestedMb).toBe(256);
      });

      it('points a running VM to setBalloon', async () => {
        const { vbox } = setup(make);
        const e = (await vbox.setDefaultBalloon('web-1', 256))._unsafeUnwrapErr();
        expect(codes(e)).toEqual(['INVALID_VM_STATE']);
        expect(e.message).toContain("setBalloon('web-1', 256)");
      });

      it('a VM locked by another session is VM_LOCKED', async () => {
        const { vbox, h } = setup(make);
        h.lockVm('db-1');
        expect((await vbox.setDefaultBalloon('db-1', 1))._unsafeUnwrapErr().code).toBe('VM_LOCKED');
      });

      it('a dry run changes nothing', async () => {
        const { vbox, h } = setup(make);
        expect((await vbox.setDefaultBalloon('db-1', 256, { dryRun: true }))._unsafeUnwrap().dryRun).toBe(true);
        expect((await h.client.showVmInfo('db-1'))._unsafeUnwrap().balloonMb).toBe(0);
      });

      it('disableLargePages turns them off, then has nothing to do', async () => {
        const { vbox, h } = setup(make);
        expect((await vbox.disableLargePages('db-1'))._unsafeUnwrap()).toMatchObject({ largePages: { from: true, to: false }, commands: [['modifyvm', DB1, '--largepages', 'off']] });
        const before = h.invocations();
        expect((await vbox.disableLargePages('db-1'))._unsafeUnwrap().commands).toEqual([]);
        expect(h.invocations() - before).toBe(1);
      });

      it('disableLargePages on a running VM is blocked', async () => {
        const { vbox } = setup(make, { vms: [{ name: 'lp', state: 'running', largePages: true }] });
        expect(codes((await vbox.disableLargePages('lp'))._unsafeUnwrapErr())).toEqual(['INVALID_VM_STATE']);
      });

      it('prepare does both in one modifyvm', async () => {
        const { vbox, h } = setup(make);
        const change = (await vbox.prepare('db-1', { defaultBalloonMb: 512 }))._unsafeUnwrap();
        expect(change.commands).toEqual([['modifyvm', DB1, '--guestmemoryballoon', '512', '--largepages', 'off']]);
        expect(h.invocations()).toBe(2);
        expect((await h.client.showVmInfo('db-1'))._unsafeUnwrap()).toMatchObject({ balloonMb: 512, largePages: false });
      });

      it('prepare with a size above the limit is blocked', async () => {
        const { vbox } = setup(make);
        expect(codes((await vbox.prepare('db-1', { defaultBalloonMb: 5000 }))._unsafeUnwrapErr())).toEqual(['INVALID_BALLOON_SIZE']);
      });
    });

    describe('reclaim', () => {
      it('takes from the guests with the most free memory first, keeping each one\'s floor', async () => {
        const { vbox } = setup(make);
        await vbox.inspectAll(); // enable metrics
        const r = (await vbox.reclaim({ megabytes: 8000, keepGuestFreeMb: 256, keepGuestFreePercent: 0 }))._unsafeUnwrap();
        expect(r.plan.map((p) => [p.vm, p.takeMb])).toEqual([
          ['build-1', 6912],
          ['web-1', 1088],
        ]);
        expect(r.reclaimedMb).toBe(8000);
        expect(r.applied).toHaveLength(2);
        const all = (await vbox.inspectAll())._unsafeUnwrap();
        expect(all.find((s) => s.name === 'build-1')?.guest?.freeMb).toBe(256);
      });

      it('never goes past the VirtualBox maximum', async () => {
        const { vbox } = setup(make, { vms: [{ name: 'idle', state: 'running', memoryMb: 1000, usedMb: 0 }] });
        await vbox.inspectAll();
        const r = (await vbox.reclaim({ megabytes: 899, keepGuestFreeMb: 0 }))._unsafeUnwrap();
        expect(r.plan[0]?.toMb).toBe(899);
        expect((await vbox.reclaim({ megabytes: 1, keepGuestFreeMb: 0 }))._unsafeUnwrapErr()).toMatchObject({ code: 'RECLAIM_SHORTFALL', reclaimableMb: 0 });
      });

      it('says how much can be reclaimed when the request cannot be met, and changes nothing', async () => {
        const { vbox, h } = setup(make);
        await vbox.inspectAll();
        const e = (await vbox.reclaim({ megabytes: 100_000, keepGuestFreePercent: 0 }))._unsafeUnwrapErr();
        expect(e).toMatchObject({ code: 'RECLAIM_SHORTFALL', requestedMb: 100_000, reclaimableMb: 6912 + 2816 + 1792 });
        expect(e.message).toMatch(/only 11520 MB/u);
        expect((await h.client.showVmInfo('build-1'))._unsafeUnwrap().balloonMb).toBe(0);
      });

      it('a dry run plans without changing', async () => {
        const { vbox, h } = setup(make);
        await vbox.inspectAll();
        const r = (await vbox.reclaim({ megabytes: 100, dryRun: true }))._unsafeUnwrap();
        expect(r).toMatchObject({ applied: [], reclaimedMb: 100 });
        expect((await h.client.showVmInfo('build-1'))._unsafeUnwrap().balloonMb).toBe(0);
      });

      it('only from the VMs named', async () => {
        const { vbox } = setup(make);
        await vbox.inspectAll();
        const r = (await vbox.reclaim({ megabytes: 500, from: ['web-2'] }))._unsafeUnwrap();
        expect(r.plan.map((p) => p.vm)).toEqual(['web-2']);
      });

      it('puts back what it changed when a change fails midway', async () => {
        const { h } = setup(make);
        let changes = 0;
        const vbox = new BalloonController({
          client: h.client,
          onEvent: (e) => {
            if (e.type === 'change' && ++changes === 1) h.powerOffVm('web-1'); // the second VM goes away
          },
        });
        await vbox.inspectAll();
        const e = (await vbox.reclaim({ megabytes: 8000, keepGuestFreePercent: 0 }))._unsafeUnwrapErr();
        if (e.code !== 'APPLY_FAILED') throw new Error(e.message);
        expect(e.cause.code).toBe('INVALID_VM_STATE');
        expect(e.restored).toEqual([{ vm: 'build-1', toMb: 0 }]);
        expect(e.notRestored).toEqual([]);
        expect(e.changes).toEqual([
          { vm: 'build-1', uuid: uuidOf(3), argv: ['controlvm', uuidOf(3), 'guestmemoryballoon', '6912'], fromMb: 0, toMb: 6912, outcome: 'applied', rollback: 'restored', rollbackError: null },
        ]);
        expect(e.message).toMatch(/'build-1' set 0 -> 6912 MB, put back to 0 MB/u);
        expect((await h.client.showVmInfo('build-1'))._unsafeUnwrap().balloonMb).toBe(0);
      });

      it.each<[Record<string, unknown>, string]>([
        [{ megabytes: 0 }, 'INVALID_ARGUMENT'],
        [{ megabytes: 1.5 }, 'INVALID_ARGUMENT'],
        [{ megabytes: 10, keepGuestFreeMb: -1 }, 'INVALID_ARGUMENT'],
        [{ megabytes: 10, from: ['--help'] }, 'INVALID_ARGUMENT'],
      ])('bad options %j are %s', async (options, code) => {
        const { vbox, h } = setup(make);
        expect((await vbox.reclaim(options as never))._unsafeUnwrapErr().code).toBe(code);
        expect(h.invocations()).toBe(0);
      });

      it('a VM named in from that does not exist is VM_NOT_FOUND', async () => {
        const { vbox } = setup(make);
        expect((await vbox.reclaim({ megabytes: 10, from: ['ghost'] }))._unsafeUnwrapErr().code).toBe('VM_NOT_FOUND');
      });
    });

    describe('restore', () => {
      it('deflates back to the default the controller knows, and 0 otherwise', async () => {
        const { vbox, h, events } = setup(make, { vms: [{ name: 'a', state: 'poweroff', memoryMb: 4096 }, { name: 'b', state: 'running', memoryMb: 4096 }] });
        (await vbox.setDefaultBalloon('a', 128))._unsafeUnwrap();
        h.startVm('a');
        (await vbox.setBalloon('a', 1000))._unsafeUnwrap();
        (await h.client.setLiveBalloon('b', 700))._unsafeUnwrap(); // changed behind the controller's back
        const r = (await vbox.restore())._unsafeUnwrap();
        expect(r.changes.map((c) => [c.vm, c.fromMb, c.toMb])).toEqual([
          ['a', 1000, 128],
          ['b', 700, 0],
        ]);
        expect(r.failed).toEqual([]);
        expect(events.some((e) => e.type === 'warning' && e.vm === 'b' && /unknown/u.test(e.message))).toBe(true);
      });

      it('one VM leaves the others alone when already at its default', async () => {
        const { vbox, h } = setup(make);
        (await vbox.setBalloon('web-1', 300))._unsafeUnwrap();
        const before = h.invocations();
        const r = (await vbox.restore('web-1'))._unsafeUnwrap();
        expect(r.changes).toEqual([expect.objectContaining({ vm: 'web-1', fromMb: 300, toMb: 0 })]);
        expect(h.invocations() - before).toBe(2);
        expect((await vbox.restore('web-1'))._unsafeUnwrap().changes).toEqual([]);
      });

      it('a VM that is off has nothing to restore', async () => {
        const { vbox, events } = setup(make);
        expect((await vbox.restore('db-1'))._unsafeUnwrap().changes).toEqual([]);
        expect(events.some((e) => e.type === 'warning' && /already gone/u.test(e.message))).toBe(true);
      });

      it.each([
        ['ghost', 'VM_NOT_FOUND'],
        ['', 'INVALID_ARGUMENT'],
      ])('%j is %s', async (vm, code) => {
        const { vbox } = setup(make);
        expect((await vbox.restore(vm))._unsafeUnwrapErr().code).toBe(code);
      });
    });
  });
}
