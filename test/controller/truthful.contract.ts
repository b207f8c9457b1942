// A result never hides a change: every interruption point of every change, over both clients.
import { describe, expect, it } from 'vitest';
import { BalloonController } from '../../src/index.js';
import { standInKind, suiteTitle, type Backend, type BackendKind, type FaultSpec, type World } from '../helpers/backend.js';

/** The stand-in with a time limit long enough for a loaded machine; the hanging calls take all of it. */
export const standInTruthful: BackendKind = standInKind({ timeoutMs: 4000 });

/** The faults the suite injects. */
const FAULTS_USED: readonly FaultSpec[] = ['guestMemory:garbage', 'setLiveBalloon:timeout:applied', 'setLiveBalloon:garbage:applied', 'setLiveBalloon:garbage', 'modifyVm:garbage:applied'];

const controlvms = (h: Backend): number => h.argvs().filter((a) => a[0] === 'controlvm').length;

const world: World = {
  vms: [
    { name: 'a', state: 'running', memoryMb: 4096, usedMb: 512 },
    { name: 'b', state: 'running', memoryMb: 4096, usedMb: 1024 },
    { name: 'tight', state: 'running', memoryMb: 4096, usedMb: 3500 },
    { name: 'off', state: 'poweroff', memoryMb: 2048 },
    { name: 'bare', state: 'running', memoryMb: 2048, guestAdditionsRunLevel: 1 },
  ],
};

// What VirtualBox has as the VM's balloon request (showvminfo alone, so that a metrics fault does not get in the way).
const requested = async (vbox: BalloonController, vm: string): Promise<number> => (await vbox.client.showVmInfo(vm))._unsafeUnwrap().balloonMb;

export function truthfulContract(kind: BackendKind): void {
  const make = (w: World) => kind.make(w);
  // A case that injects a fault this backend cannot make is not generated, and the suite's title says so.
  const missing = FAULTS_USED.filter((f) => !kind.faults.has(f));
  const withFault = (fault: FaultSpec, title: string, fn: () => Promise<void>): void => {
    if (kind.faults.has(fault)) it(title, fn);
  };
  describe(suiteTitle('a result never hides a change', kind, missing.map((f) => `the cases that inject ${f}`)), () => {
    it('an abort during the wait returns the change, says only the wait stopped, and the balloon stays set', async () => {
      const { vbox, events } = make(world);
      const ac = new AbortController();
      const p = vbox.setBalloon('tight', 2000, { signal: ac.signal, wait: { timeoutMs: 60_000, pollMs: 20, onProgress: () => { ac.abort(); } } });
      const change = (await p)._unsafeUnwrap();
      expect(change).toMatchObject({ vm: 'tight', toMb: 2000, dryRun: false, wait: { reached: false, ended: 'aborted' } });
      expect(change.wait?.error?.message).toMatch(/The balloon was set; only the wait stopped/u);
      expect(events.some((e) => e.type === 'change')).toBe(true);
      // The caller stopped the wait: the result says so, and no warning says it a second time.
      expect(events.filter((e) => e.type === 'warning')).toEqual([]);
      expect(await requested(vbox, 'tight')).toBe(2000);
    });

    withFault('guestMemory:garbage', 'a metrics read that fails during the wait is reported in the wait, not as a failed change', async () => {
      const h = make(world);
      h.fail('guestMemory', 'garbage');
      const change = (await h.vbox.setBalloon('a', 512, { wait: { timeoutMs: 60_000, pollMs: 10 } }))._unsafeUnwrap();
      expect(change.wait).toMatchObject({ reached: false, ended: 'failed' });
      expect(change.wait?.error).not.toBeNull();
      const warnings = h.events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/the wait ended early/u);
      expect(await requested(h.vbox, 'a')).toBe(512);
    });

    withFault('setLiveBalloon:timeout:applied', 'a controlvm cut short by its timeout is an error that says the outcome is unknown, with the argv', async () => {
      const h = make(world);
      h.fail('setLiveBalloon', 'timeout', { applied: true });
      const e = (await h.vbox.setBalloon('a', 600))._unsafeUnwrapErr();
      expect(e).toMatchObject({ code: 'TIMEOUT', vm: 'a', outcome: 'unknown' });
      if (e.code !== 'TIMEOUT') throw new Error(e.message);
      expect(e.argv[0]).toBe('controlvm');
      expect(e.message).toMatch(/may or may not have been applied; call inspect to see/u);
      expect(e.message).not.toMatch(/[Nn]othing (more )?was (run|changed)/u);
      expect(await requested(h.vbox, 'a')).toBe(600);
    });

    withFault('setLiveBalloon:garbage:applied', 'exit 0 with garbage: read back, and the change is reported as made when it was', async () => {
      const h = make(world);
      h.fail('setLiveBalloon', 'garbage', { applied: true });
      const change = (await h.vbox.setBalloon('a', 700))._unsafeUnwrap();
      expect(change.toMb).toBe(700);
      expect(h.events.some((e) => e.type === 'warning' && /reading the VM back shows the change was applied/u.test(e.message))).toBe(true);
      expect(await requested(h.vbox, 'a')).toBe(700);
    });

    withFault('setLiveBalloon:garbage', 'exit 0 with garbage and no change: an error whose outcome is unknown, never Ok', async () => {
      const h = make(world);
      h.fail('setLiveBalloon', 'garbage');
      const e = (await h.vbox.setBalloon('a', 700))._unsafeUnwrapErr();
      expect(e).toMatchObject({ code: 'VBOXMANAGE_FAILED', vm: 'a', outcome: 'unknown', exitCode: 0 });
      expect(e.message).toMatch(/may or may not have been applied/u);
      expect(await requested(h.vbox, 'a')).toBe(0);
    });

    withFault('modifyVm:garbage:applied', 'prepare: a modifyvm answered with garbage is read back', async () => {
      const h = make(world);
      h.fail('modifyVm', 'garbage', { applied: true });
      const change = (await h.vbox.prepare('off', { defaultBalloonMb: 256 }))._unsafeUnwrap();
      expect(change.defaultBalloonMb).toEqual({ from: 0, to: 256 });
      expect(await requested(h.vbox, 'off')).toBe(256);
    });

    withFault('setLiveBalloon:timeout:applied', 'reclaim: a change cut short is rolled back with the ones before it, and each VM says what happened', async () => {
      const h = make(world);
      await h.vbox.inspectAll();
      let n = 0;
      const vbox = new BalloonController({
        client: h.vbox.client,
        onEvent: (e) => {
          if (e.type === 'change' && ++n === 1) h.fail('setLiveBalloon', 'timeout', { applied: true }); // the second change hangs after applying
        },
      });
      const e = (await vbox.reclaim({ megabytes: 5000, keepGuestFreeMb: 256 }))._unsafeUnwrapErr();
      if (e.code !== 'APPLY_FAILED') throw new Error(e.message);
      expect(e.cause).toMatchObject({ code: 'TIMEOUT', outcome: 'unknown' });
      expect(e.changes.map((c) => [c.vm, c.outcome, c.rollback])).toEqual([
        ['a', 'applied', 'restored'],
        ['b', 'unknown', 'restored'],
      ]);
      expect(e.message).toMatch(/'b' 0 -> \d+ MB may or may not have been applied, put back to 0 MB/u);
      expect(await requested(vbox, 'a')).toBe(0);
      expect(await requested(vbox, 'b')).toBe(0);
    });

    it('reclaim aborted between changes: the change made is rolled back and listed', async () => {
      const h = make(world);
      await h.vbox.inspectAll();
      const ac = new AbortController();
      const vbox = new BalloonController({
        client: h.vbox.client,
        onEvent: (e) => {
          if (e.type === 'change') ac.abort();
        },
      });
      const e = (await vbox.reclaim({ megabytes: 5000, keepGuestFreeMb: 256, signal: ac.signal }))._unsafeUnwrapErr();
      if (e.code !== 'APPLY_FAILED') throw new Error(e.message);
      expect(e.cause).toMatchObject({ code: 'ABORTED', outcome: 'not-applied' });
      expect(e.changes.map((c) => [c.vm, c.outcome, c.rollback])).toEqual([['a', 'applied', 'restored']]);
      expect(await requested(vbox, 'a')).toBe(0);
    });

    it('reclaim that cannot be served names the VMs left out and why', async () => {
      const h = make(world);
      await h.vbox.inspectAll();
      const e = (await h.vbox.reclaim({ megabytes: 100, from: ['off', 'bare'] }))._unsafeUnwrapErr();
      expect(e).toMatchObject({ code: 'RECLAIM_SHORTFALL', reclaimableMb: 0, leftOut: [{ vm: 'off', reason: 'it is powered off' }, { vm: 'bare', reason: 'its Guest Additions are not running' }] });
      expect(e.message).not.toMatch(/ask for 0 MB/iu);
      expect(e.message).toMatch(/'off' \(it is powered off\)/u);
    });

    it('restore aborted midway says which VMs were restored and which were not reached', async () => {
      const h = make(world);
      await h.vbox.setBalloon('a', 300);
      await h.vbox.setBalloon('b', 300);
      const ac = new AbortController();
      const vbox = new BalloonController({
        client: h.vbox.client,
        onEvent: (e) => {
          if (e.type === 'change') ac.abort();
        },
      });
      const r = (await vbox.restore(undefined, { signal: ac.signal }))._unsafeUnwrap();
      expect(r.changes.map((c) => c.vm)).toEqual(['a']);
      expect(r).toMatchObject({ aborted: true, skipped: ['b'] });
      expect(await requested(vbox, 'b')).toBe(300);
    });

    it('prepare with a default balloon on a running VM is refused: its default cannot be seen', async () => {
      const h = make(world);
      const before = controlvms(h);
      const e = (await h.vbox.prepare('a', { defaultBalloonMb: 0 }))._unsafeUnwrapErr();
      expect(e).toMatchObject({ code: 'INVALID_VM_STATE', vm: 'a', state: 'running' });
      expect(controlvms(h)).toBe(before);
    });

    it('results and errors name the VM even when it was called by UUID', async () => {
      const h = make(world);
      const uuid = (await h.vbox.inspect('a'))._unsafeUnwrap().uuid;
      expect((await h.vbox.setBalloon(uuid, 100))._unsafeUnwrap()).toMatchObject({ vm: 'a', uuid });
      const e = (await h.vbox.setBalloon(uuid, 99_999))._unsafeUnwrapErr();
      expect(e).toMatchObject({ code: 'INVALID_BALLOON_SIZE', vm: 'a' });
    });
  });
}

