// Make room for a VM and start it, and give the memory back: the same cases over the in-memory host and over the
// real client with the VBoxManage stand-in.
import { describe, expect, it } from 'vitest';
import { BalloonController, type BalloonEvent, type StartWithRoomResult } from '../../src/index.js';
import { suiteTitle, type Backend, type BackendKind, type World } from '../helpers/backend.js';

// These cases pin the flat reserve (256 MB per guest): the percentage of RAM is tested in test/host-memory.
const FLAT = { keepGuestFreePercent: 0 } as const;

// 16 GB host, 2 GB for itself; three running 4 GB guests hold 12 GB, so VirtualBox has 2 GB left, and "big" needs 4 GB.
// Budget 80 % = 13 107 MB, backing 12 288 MB: 819 MB of headroom; big needs 4096 + 128 = 4224 MB, so 3405 MB must
// come from balloons: "a" (3584 MB free) gives 3328 keeping 256, then "b" (3072 free) the other 77.
export const roomWorld: World = {
  host: { memoryMb: 16_384, baseUsedMb: 2048 },
  vms: [
    { name: 'a', state: 'running', memoryMb: 4096, usedMb: 512 },
    { name: 'b', state: 'running', memoryMb: 4096, usedMb: 1024 },
    { name: 'tight', state: 'running', memoryMb: 4096, usedMb: 3500 },
    { name: 'big', state: 'poweroff', memoryMb: 4096 },
    { name: 'huge', state: 'poweroff', memoryMb: 12_288 },
  ],
};

const controlvms = (h: Backend): string[][] => h.argvs().filter((a) => a[0] === 'controlvm');
const requested = async (vbox: BalloonController, vm: string): Promise<number> => (await vbox.client.showVmInfo(vm))._unsafeUnwrap().balloonMb;
const stateOf = async (vbox: BalloonController, vm: string): Promise<string> => (await vbox.client.showVmInfo(vm))._unsafeUnwrap().state;

async function warmed(kind: BackendKind, onEvent?: (e: BalloonEvent) => void): Promise<Backend> {
  const h = kind.make(roomWorld, onEvent === undefined ? {} : { onEvent });
  await h.vbox.inspectAll(); // the first look enables the guests' metrics
  return h;
}

export function makeRoomContract(kind: BackendKind): void {
  const partly = kind.can.has('processes') ? ['an abort at each step between the first of each kind of command and the last'] : [];
  describe(suiteTitle('make room and start', kind, partly), () => {
    it('planStart explains where the memory would come from, and changes nothing', async () => {
      const h = await warmed(kind);
      const before = h.argvs().length;
      const plan = (await h.vbox.planStart('big', FLAT))._unsafeUnwrap();
      expect(plan).toMatchObject({ vm: 'big', state: 'poweroff', memoryMb: 4096, overheadMb: 128, needMb: 4224, budgetMb: 13_107, backingMb: 12_288, headroomMb: 819, reclaimMb: 3405, fits: true, missingMb: 0 });
      expect(plan.entries.map((e) => [e.vm, e.takeMb, e.toMb])).toEqual([['a', 3328, 3328], ['b', 77, 77]]);
      expect(plan.explanation.join('\n')).toMatch(/big needs 4224 MB[\s\S]*819 MB are left[\s\S]*a gives 3328 MB/u);
      expect(plan.commands.map((c) => c[0])).toEqual(['controlvm', 'controlvm', 'startvm']);
      expect(h.argvs().slice(before).filter((a) => a[0] === 'controlvm' || a[0] === 'startvm')).toEqual([]);
      expect(await stateOf(h.vbox, 'big')).toBe('poweroff');
    });

    it('from limits who gives; a VM it names is read once, with the list of every VM', async () => {
      const h = await warmed(kind);
      const before = h.argvs().length;
      const plan = (await h.vbox.planStart('big', { ...FLAT, from: ['b', '00000000-0000-4000-8000-000000000001'] }))._unsafeUnwrap();
      expect(plan.entries.map((e) => [e.vm, e.takeMb])).toEqual([['a', 3328], ['b', 77]]);
      // showvminfo of big, then of every other VM (three running, huge off: every state counts): none again for `from`.
      expect(h.argvs().slice(before).filter((a) => a[0] === 'showvminfo')).toHaveLength(5);
      const onlyB = (await h.vbox.planStart('big', { ...FLAT, from: ['b'] }))._unsafeUnwrap();
      expect(onlyB).toMatchObject({ fits: false, missingMb: 3405 - 2816 });
    });

    it('a plan that cannot be covered says how much is missing and who gives nothing', async () => {
      const h = await warmed(kind);
      const plan = (await h.vbox.planStart('huge', FLAT))._unsafeUnwrap();
      // 12 288 + 128 = 12 416 needed; 819 headroom; the guests can give 3328 + 2816 + 340 = 6484: 5113 missing.
      expect(plan).toMatchObject({ fits: false, needMb: 12_416, headroomMb: 819, missingMb: 5113, entries: [], commands: [] });
    });

    it('startWithRoom inflates the planned balloons, waits, starts the VM, and records what it took', async () => {
      const h = await warmed(kind);
      const r = (await h.vbox.startWithRoom('big', { ...FLAT, pollMs: 10 }))._unsafeUnwrap();
      expect(r).toMatchObject({ vm: 'big', started: true, state: 'running', dryRun: false, interrupted: null });
      expect(r.changes.map((c) => [c.vm, c.fromMb, c.toMb])).toEqual([['a', 0, 3328], ['b', 0, 77]]);
      expect(r.room.taken.map((t) => [t.vm, t.fromMb, t.toMb])).toEqual([['a', 0, 3328], ['b', 0, 77]]);
      expect(await stateOf(h.vbox, 'big')).toBe('running');
      // Balloons first, then the start, all by UUID.
      const order = h.argvs().filter((a) => a[0] === 'controlvm' || a[0] === 'startvm');
      expect(order.map((a) => a[0])).toEqual(['controlvm', 'controlvm', 'startvm']);
      expect(order[2]).toEqual(['startvm', r.uuid, '--type', 'headless']);
    });

    it('NO_ROOM changes nothing and says how much is missing', async () => {
      const h = await warmed(kind);
      const e = (await h.vbox.startWithRoom('huge', FLAT))._unsafeUnwrapErr();
      expect(e).toMatchObject({ code: 'NO_ROOM', vm: 'huge', needMb: 12_416, headroomMb: 819, reclaimableMb: 6484, missingMb: 5113 });
      expect(e.message).toMatch(/5113 MB are missing[\s\S]*Nothing was changed/u);
      expect(controlvms(h)).toEqual([]);
      expect(h.argvs().some((a) => a[0] === 'startvm')).toBe(false);
    });

    it('dryRun plans and changes nothing', async () => {
      const h = await warmed(kind);
      const r = (await h.vbox.startWithRoom('big', { ...FLAT, dryRun: true }))._unsafeUnwrap();
      expect(r).toMatchObject({ dryRun: true, started: false, changes: [] });
      expect(controlvms(h)).toEqual([]);
      expect(await stateOf(h.vbox, 'big')).toBe('poweroff');
    });

    it('a failed startvm puts the balloons back, and the error says what was done and undone', async () => {
      const h = await warmed(kind);
      h.fail('startVm', 'failed');
      const e = (await h.vbox.startWithRoom('big', { ...FLAT, pollMs: 10 }))._unsafeUnwrapErr();
      expect(e.code).toBe('APPLY_FAILED');
      if (e.code !== 'APPLY_FAILED') return;
      expect(e.cause).toMatchObject({ code: 'VBOXMANAGE_FAILED', vm: 'big' });
      expect(e.restored.map((x) => [x.vm, x.toMb])).toEqual([['a', 0], ['b', 0]]);
      expect(e.message).toMatch(/put back to 0 MB/u);
      expect(await requested(h.vbox, 'a')).toBe(0);
      expect(await requested(h.vbox, 'b')).toBe(0);
      expect(await stateOf(h.vbox, 'big')).toBe('poweroff');
    });

    it('a startvm cut short after VirtualBox started the VM: started, the interruption reported, the balloons kept', async () => {
      const h = await warmed(kind);
      h.fail('startVm', 'timeout', { applied: true });
      const r = (await h.vbox.startWithRoom('big', { ...FLAT, pollMs: 10, startTimeoutMs: 1500 }))._unsafeUnwrap();
      expect(r).toMatchObject({ started: true, state: 'running', interrupted: { code: 'TIMEOUT', outcome: 'unknown' } });
      expect(await requested(h.vbox, 'a')).toBe(3328);
      expect(h.events.some((e) => e.type === 'warning' && /cut short/u.test(e.message))).toBe(true);
    });

    it('balloons that do not free enough in time: ROOM_NOT_READY, put back, nothing started', async () => {
      let busy = false;
      // As soon as the first balloon is asked for, "a" gets busy: its balloon cannot grow past what it has free.
      const h = await warmed(kind, (e) => {
        if (!busy && e.type === 'command' && e.argv[0] === 'controlvm') {
          busy = true;
          h.setUsed('a', 4000);
        }
      });
      const e = (await h.vbox.startWithRoom('big', { ...FLAT, waitTimeoutMs: 200, pollMs: 20 }))._unsafeUnwrapErr();
      expect(e.code).toBe('APPLY_FAILED');
      if (e.code !== 'APPLY_FAILED') return;
      expect(e.cause).toMatchObject({ code: 'ROOM_NOT_READY', neededMb: 3405 });
      expect(e.restored.map((x) => x.vm)).toEqual(['a', 'b']);
      expect(h.argvs().some((a) => a[0] === 'startvm')).toBe(false);
      expect(await stateOf(h.vbox, 'big')).toBe('poweroff');
    });

    const where = kind.can.has('processes') ? 'at the first step of each kind of command, and the last' : 'at every step';
    it(`an abort ${where} hides nothing: either the VM started, or every balloon is back and the error says so`, async () => {
      const probe = await warmed(kind);
      const startAt = probe.events.length;
      (await probe.vbox.startWithRoom('big', { ...FLAT, pollMs: 10 }))._unsafeUnwrap();
      const commands = probe.events.slice(startAt).flatMap((e) => (e.type === 'command' ? [e.argv] : []));
      const steps = commands.length;
      expect(steps).toBeGreaterThan(5);
      // In memory, every step. Where each step is real processes (a whole start, about 25 of them, per step), the first
      // step of each kind of command (list, showvminfo, metrics, controlvm, startvm) and the last: the steps between
      // repeat a kind already aborted (the polls of the balloons), and the in-memory run covers every one of them.
      const word = (argv: readonly string[]): string => (argv[0] === 'list' || argv[0] === 'metrics' ? `${argv[0]} ${argv[1] ?? ''}` : argv[0] ?? '');
      const every = Array.from({ length: steps }, (_, k) => k);
      const chosen = kind.can.has('processes') ? every.filter((k) => k === steps - 1 || commands.findIndex((c) => word(c) === word(commands[k] ?? [])) === k) : every;
      for (const k of chosen) {
        const ac = new AbortController();
        let seen = -1;
        const h = await warmed(kind, (e) => {
          if (e.type === 'command' && ++seen === k) ac.abort();
        });
        seen = -1;
        const r = await h.vbox.startWithRoom('big', { ...FLAT, pollMs: 10, signal: ac.signal });
        const state = await stateOf(h.vbox, 'big');
        if (r.isOk()) {
          expect(state, `abort at command ${k}`).toBe('running');
          continue;
        }
        expect(state, `abort at command ${k}`).toBe('poweroff');
        expect(await requested(h.vbox, 'a'), `abort at command ${k}`).toBe(0);
        expect(await requested(h.vbox, 'b'), `abort at command ${k}`).toBe(0);
        const e = r.error;
        if (e.code === 'APPLY_FAILED') {
          // Every balloon that was (or may have been) changed is listed, and put back.
          expect(e.changes.every((c) => c.rollback === 'restored'), `abort at command ${k}`).toBe(true);
          expect(e.cause.code, `abort at command ${k}`).toBe('ABORTED');
        } else {
          expect(e.code, `abort at command ${k}`).toBe('ABORTED');
          if (e.code === 'ABORTED') expect(e.outcome).toBe('not-applied');
        }
      }
    }, kind.can.has('processes') ? 180_000 : undefined); // over the stand-in, one whole start per step chosen: a hundred or more VBoxManage runs

    it('a VM that already runs is refused before anything changes', async () => {
      const h = await warmed(kind);
      const e = (await h.vbox.startWithRoom('a', FLAT))._unsafeUnwrapErr();
      expect(e).toMatchObject({ code: 'INVALID_VM_STATE', vm: 'a', operation: 'start' });
      expect(controlvms(h)).toEqual([]);
    });

    it('with enough headroom no balloon moves', async () => {
      const h = await warmed(kind);
      // A 1 GB VM: 1024 + 128 = 1152 MB; a budget of 14 000 MB leaves 1712 MB.
      const small = (await h.vbox.planStart('big', { ...FLAT, budgetMb: 16_512, overheadMb: 0 }))._unsafeUnwrap();
      expect(small).toMatchObject({ headroomMb: 4224, reclaimMb: 0, fits: true, entries: [] });
      expect(small.commands.map((c) => c[0])).toEqual(['startvm']);
    });

    describe('giveBack', () => {
      async function started(): Promise<{ h: Backend; r: StartWithRoomResult }> {
        const h = await warmed(kind);
        const r = (await h.vbox.startWithRoom('big', { ...FLAT, pollMs: 10 }))._unsafeUnwrap();
        return { h, r };
      }

      it('after the VM stops, deflates what was taken for it', async () => {
        const { h, r } = await started();
        h.powerOffVm('big');
        const g = (await h.vbox.giveBack(r))._unsafeUnwrap();
        expect(g.changes.map((c) => [c.vm, c.fromMb, c.toMb])).toEqual([['a', 3328, 0], ['b', 77, 0]]);
        expect(g).toMatchObject({ skipped: [], failed: [], aborted: false });
        expect(await requested(h.vbox, 'a')).toBe(0);
      });

      it('refuses while the started VM still runs, unless forced', async () => {
        const { h, r } = await started();
        const before = controlvms(h).length;
        expect((await h.vbox.giveBack(r))._unsafeUnwrapErr()).toMatchObject({ code: 'INVALID_VM_STATE', vm: 'big' });
        expect(controlvms(h).length).toBe(before);
        expect((await h.vbox.giveBack(r, { force: true }))._unsafeUnwrap().changes).toHaveLength(2);
      });

      it('leaves alone a balloon someone set since', async () => {
        const { h, r } = await started();
        (await h.vbox.setBalloon('b', 500))._unsafeUnwrap();
        h.powerOffVm('big');
        const g = (await h.vbox.giveBack(r))._unsafeUnwrap();
        expect(g.changes.map((c) => c.vm)).toEqual(['a']);
        expect(g.skipped).toEqual([{ vm: 'b', reason: expect.stringMatching(/changed since \(it asks for 500 MB, the room set 77 MB\)/u) as unknown }]);
        expect(await requested(h.vbox, 'b')).toBe(500);
      });

      it('by VM name on the controller that started it; from a JSON record on any controller', async () => {
        const { h, r } = await started();
        h.powerOffVm('big');
        const other = new BalloonController({ client: h.vbox.client });
        expect((await other.giveBack('big'))._unsafeUnwrapErr()).toMatchObject({ code: 'INVALID_ARGUMENT', vm: 'big', message: expect.stringContaining('made no room for') as unknown });
        const record: unknown = JSON.parse(JSON.stringify(r.room));
        expect((await other.giveBack(record as never, { dryRun: true }))._unsafeUnwrap()).toMatchObject({ dryRun: true, changes: [{ vm: 'a' }, { vm: 'b' }] });
        expect((await h.vbox.giveBack('big'))._unsafeUnwrap().changes).toHaveLength(2);
        const again = (await h.vbox.giveBack('big'))._unsafeUnwrapErr(); // given back once
        expect(again).toMatchObject({ code: 'INVALID_ARGUMENT', vm: 'big' });
        expect(again.message).toContain('was already given back');
        expect(again.message).not.toContain('made no room for');
        expect(again.message).toContain('Nothing was changed');
      });

      it('a stopped giver is skipped: its balloon went with its session', async () => {
        const { h, r } = await started();
        h.powerOffVm('big');
        h.powerOffVm('a');
        const g = (await h.vbox.giveBack(r))._unsafeUnwrap();
        expect(g.changes.map((c) => c.vm)).toEqual(['b']);
        expect(g.skipped[0]).toMatchObject({ vm: 'a', reason: expect.stringMatching(/powered off/u) as unknown });
      });
    });
  });
}
