// prepare({ pageFusion }) and inspect's Page Fusion explanation, over both clients: the same cases, the same answers.
import { describe, expect, it } from 'vitest';
import type { BalloonError } from '../../src/index.js';
import type { BackendKind, World } from '../helpers/backend.js';

const WIN = 'Windows 10 (64-bit)';
const world: World = {
  vms: [
    { name: 'win-1', state: 'poweroff', memoryMb: 4096, osType: WIN },
    { name: 'win-2', state: 'poweroff', memoryMb: 4096, osType: WIN, largePages: true },
    { name: 'linux-1', state: 'poweroff', memoryMb: 4096 },
    { name: 'win-run', state: 'running', memoryMb: 4096, usedMb: 2048, osType: WIN, pageFusion: true },
    { name: 'linux-run', state: 'running', memoryMb: 4096, usedMb: 2048, pageFusion: true },
    { name: 'win-saved', state: 'saved', memoryMb: 4096, osType: WIN },
    { name: 'win7', state: 'poweroff', memoryMb: 4096, osType: 'Windows 7 (64-bit)' },
  ],
};
const uuidOf = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const codes = (e: BalloonError): string[] => (e.code === 'BLOCKED' ? e.blockers.map((b) => b.code) : [e.code]);

function setup(kind: BackendKind, w: World = world) {
  const h = kind.make(w);
  const { vbox, events } = h;
  const modifyvms = (): number => events.filter((e) => e.type === 'command' && e.argv[0] === 'modifyvm').length;
  const warnings = (): string[] => events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
  const fusion = async (vm: string): Promise<boolean | null> => (await h.client.showVmInfo(vm))._unsafeUnwrap().pageFusion;
  return { h, vbox, events, modifyvms, warnings, fusion };
}

export function pageFusionContract(make: BackendKind): void {
  describe(`Page Fusion over ${make.name}`, () => {
    describe('prepare({ pageFusion })', () => {
      it('turns it on for a Windows VM that is off, in one modifyvm, and says so', async () => {
        const { vbox, events, modifyvms, warnings, fusion } = setup(make);
        const change = (await vbox.prepare('win-1', { pageFusion: true }))._unsafeUnwrap();
        expect(change).toMatchObject({ vm: 'win-1', kind: 'settings', pageFusion: { from: false, to: true }, commands: [['modifyvm', uuidOf(1), '--pagefusion', 'on']], dryRun: false });
        expect(change).not.toHaveProperty('largePages');
        expect(modifyvms()).toBe(1);
        expect(await fusion('win-1')).toBe(true);
        expect(events).toContainEqual({ type: 'change', change });
        expect(warnings()).toEqual([]);
      });

      it.each(['yes', 1, null, Number.NaN])('refuses pageFusion %s by name, with a good value, before any call', async (v) => {
        const { vbox, h } = setup(make);
        const e = (await vbox.prepare('win-1', { pageFusion: v as unknown as boolean }))._unsafeUnwrapErr();
        expect(e).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'options.pageFusion' });
        expect(e.message).toMatch(/Pass true or false/u);
        expect(h.invocations()).toBe(0);
      });

      it('turns it off again', async () => {
        const { vbox, fusion } = setup(make);
        (await vbox.prepare('win-1', { pageFusion: true }))._unsafeUnwrap();
        expect((await vbox.prepare('win-1', { pageFusion: false }))._unsafeUnwrap().pageFusion).toEqual({ from: true, to: false });
        expect(await fusion('win-1')).toBe(false);
      });

      it('applies it with large pages and the default balloon in ONE modifyvm, argv in the documented order', async () => {
        const { vbox, modifyvms, h } = setup(make);
        const change = (await vbox.prepare('win-2', { defaultBalloonMb: 512, pageFusion: true }))._unsafeUnwrap();
        expect(change.commands).toEqual([['modifyvm', uuidOf(2), '--guestmemoryballoon', '512', '--largepages', 'off', '--pagefusion', 'on']]);
        expect(change).toMatchObject({ largePages: { from: true, to: false }, defaultBalloonMb: { from: 0, to: 512 }, pageFusion: { from: false, to: true } });
        expect(modifyvms()).toBe(1);
        expect((await h.client.showVmInfo('win-2'))._unsafeUnwrap()).toMatchObject({ balloonMb: 512, largePages: false, pageFusion: true });
      });

      it('already in the wanted state: no change, and no call but showvminfo', async () => {
        const { vbox, h, modifyvms } = setup(make);
        for (const [vm, pageFusion] of [['win-1', false], ['win-run', true]] as const) {
          const before = h.invocations();
          const change = (await vbox.prepare(vm, { pageFusion }))._unsafeUnwrap();
          expect(change.commands).toEqual([]);
          expect(change).not.toHaveProperty('pageFusion');
          expect(h.invocations() - before).toBe(1);
        }
        expect(modifyvms()).toBe(0);
      });

      it('refuses a running VM with INVALID_VM_STATE and runs no modifyvm', async () => {
        const { vbox, modifyvms, fusion } = setup(make);
        const e = (await vbox.prepare('linux-run', { pageFusion: false }))._unsafeUnwrapErr();
        expect(e).toMatchObject({ code: 'INVALID_VM_STATE', vm: 'linux-run', state: 'running', operation: 'Page Fusion change' });
        expect(e.message).toMatch(/Power the VM off first/u);
        expect(modifyvms()).toBe(0);
        expect(await fusion('linux-run')).toBe(true);
      });

      it('refuses a running VM once, not once per setting, when the default balloon changes too', async () => {
        const { vbox, modifyvms } = setup(make);
        expect(codes((await vbox.prepare('win-run', { defaultBalloonMb: 256, pageFusion: false }))._unsafeUnwrapErr())).toEqual(['INVALID_VM_STATE']);
        expect(modifyvms()).toBe(0);
      });

      it('refuses a saved VM and says how to get it off', async () => {
        const { vbox, modifyvms } = setup(make);
        const e = (await vbox.prepare('win-saved', { pageFusion: true }))._unsafeUnwrapErr();
        expect(e.code).toBe('INVALID_VM_STATE');
        expect(e.message).toMatch(/discardstate/u);
        expect(modifyvms()).toBe(0);
      });

      it('refuses a macOS host before any modifyvm, naming Page Fusion', async () => {
        const { vbox, modifyvms, fusion } = setup(make, { host: { os: 'Darwin' }, vms: world.vms });
        const e = (await vbox.prepare('win-1', { pageFusion: true }))._unsafeUnwrapErr();
        expect(e).toMatchObject({ code: 'HOST_UNSUPPORTED', vm: 'win-1', os: 'Darwin' });
        expect(e.message).toMatch(/cannot use Page Fusion: VirtualBox does not support Page Fusion on macOS hosts/u);
        expect(modifyvms()).toBe(0);
        expect(await fusion('win-1')).toBe(false);
        // With the default balloon too, both reasons at once.
        expect(codes((await vbox.prepare('win-1', { defaultBalloonMb: 256, pageFusion: true }))._unsafeUnwrapErr())).toEqual(['HOST_UNSUPPORTED', 'HOST_UNSUPPORTED']);
        expect(modifyvms()).toBe(0);
      });

      it('refuses a 32-bit host, naming Page Fusion, and changes nothing', async () => {
        // `list hostinfo` does not tell a 32-bit host: the in-memory host knows it beforehand, VirtualBox refuses the modifyvm.
        const { vbox, fusion } = setup(make, { host: { is64Bit: false }, vms: world.vms });
        const e = (await vbox.prepare('win-1', { pageFusion: true }))._unsafeUnwrapErr();
        expect(e).toMatchObject({ code: 'HOST_UNSUPPORTED', vm: 'win-1' });
        expect(e.message).toMatch(/cannot use Page Fusion/u);
        expect(await fusion('win-1')).toBe(false);
      });

      it('turns it on for a Linux guest all the same, with a warning that it shares nothing there', async () => {
        const { vbox, warnings, fusion } = setup(make);
        (await vbox.prepare('linux-1', { pageFusion: true }))._unsafeUnwrap();
        expect(await fusion('linux-1')).toBe(true);
        expect(warnings()).toHaveLength(1);
        expect(warnings()[0]).toMatch(/works only with Windows 2000 and later guests, and VM 'linux-1' runs a Ubuntu \(64-bit\) guest: .* share nothing/u);
      });

      it('a dry run reports the command and the warning, and changes nothing', async () => {
        const { vbox, warnings, modifyvms, fusion } = setup(make);
        const change = (await vbox.prepare('linux-1', { pageFusion: true, dryRun: true }))._unsafeUnwrap();
        expect(change).toMatchObject({ dryRun: true, commands: [['modifyvm', uuidOf(3), '--pagefusion', 'on']] });
        expect(warnings()).toHaveLength(1);
        expect(modifyvms()).toBe(0);
        expect(await fusion('linux-1')).toBe(false);
      });

      it('turning it off on a Linux guest warns about nothing', async () => {
        const { vbox, warnings, h } = setup(make);
        h.powerOffVm('linux-run');
        (await vbox.prepare('linux-run', { pageFusion: false }))._unsafeUnwrap();
        expect(warnings()).toEqual([]);
      });
    });

    describe('inspect explains it', () => {
      it('on for a Linux guest: shares 0 MB, and a hint to turn it off', async () => {
        const { vbox } = setup(make);
        await vbox.inspect('linux-run'); // enables the metrics
        const s = (await vbox.inspect('linux-run'))._unsafeUnwrap();
        expect(s.pageFusion.enabled).toBe(true);
        expect(s.pageFusion.sharedMb).toBe(0);
        expect(s.pageFusion.hint).toMatch(/costs host CPU time .* shares nothing\. Turn it off while the VM is off: prepare\('linux-run', \{ pageFusion: false \}\)/u);
      });

      it('on for a running Windows guest: the shared memory, no hint', async () => {
        const { vbox } = setup(make);
        await vbox.inspect('win-run');
        expect((await vbox.inspect('win-run'))._unsafeUnwrap().pageFusion).toEqual({ enabled: true, sharedMb: 256, hint: null });
      });

      it('off for a Windows guest, looked at alone: a hint for a fleet of the same Windows', async () => {
        const { vbox } = setup(make);
        const s = (await vbox.inspect('win-1'))._unsafeUnwrap();
        expect(s.pageFusion).toMatchObject({ enabled: false, sharedMb: null });
        expect(s.pageFusion.hint).toMatch(/If this host runs several VMs with the same Windows version \(Windows 10 \(64-bit\)\)/u);
      });

      it('inspectAll counts the VMs with the same Windows: a hint only where there are others', async () => {
        const { vbox } = setup(make);
        const all = new Map((await vbox.inspectAll())._unsafeUnwrap().map((s) => [s.name, s.pageFusion]));
        expect(all.get('win-1')?.hint).toMatch(/^Page Fusion is off\. 3 other VMs run Windows 10 \(64-bit\) here/u);
        expect(all.get('win7')?.hint).toBeNull(); // the only Windows 7
        expect(all.get('linux-1')).toEqual({ enabled: false, sharedMb: null, hint: null });
        expect(all.get('linux-run')?.hint).toMatch(/shares nothing/u);
      });
    });
  });
}
