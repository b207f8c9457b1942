import { describe, expect, it } from 'vitest';
import { parseShowVmInfo } from '../../../src/index.js';
import { parseMachineReadable } from '../../../src/port/parse/showvminfo.js';
import { parseSnapshots } from '../../../src/port/parse/snapshots.js';
import { fixture } from '../../helpers/fixtures.js';

describe('snapshots in machine-readable output', () => {
  it('the socbed capture: 16 snapshots in tree order, the current one last', () => {
    const { snapshots, current } = parseSnapshots(parseMachineReadable(fixture('snapshot-list-machinereadable-socbed-fixture.txt')));
    expect(snapshots).toHaveLength(16);
    expect(snapshots[0]).toEqual({ name: 'clean userbehavior', uuid: '81a0d214-e246-43f7-9095-95deb011bf47' });
    expect(snapshots[8]).toEqual({ name: 'logout from domain', uuid: '2abd5903-b648-45d6-99dc-c921a1fb30fc' });
    expect(snapshots.at(-1)?.name).toBe('imdisk');
    expect(current).toEqual({ name: 'imdisk', uuid: 'acf23d84-479c-4a4c-8c5e-ccd8f28b14c3' });
  });

  it('showvminfo with snapshot keys carries them; without, none', () => {
    const base = fixture('showvminfo-vbox5x-poweroff-socbed-fixture.txt');
    expect(parseShowVmInfo(base)._unsafeUnwrap()).toMatchObject({ snapshots: [], currentSnapshot: null });
    const withSnaps = `${base.trimEnd()}\n${fixture('snapshot-list-machinereadable-socbed-fixture.txt')}`;
    const vm = parseShowVmInfo(withSnaps)._unsafeUnwrap();
    expect(vm.snapshots.map((s) => s.name).slice(0, 2)).toEqual(['clean userbehavior', 'set autologin']);
    expect(vm.currentSnapshot?.name).toBe('imdisk');
  });

  it('siblings and children are all read; a snapshot whose UUID is not one, or a key that only looks like one, is left out', () => {
    const raw = new Map([
      ['SnapshotName', 'root'],
      ['SnapshotUUID', '{11111111-2222-3333-4444-555555555555}'],
      ['SnapshotName-1', 'left'],
      ['SnapshotUUID-1', '11111111-2222-3333-4444-555555555556'],
      ['SnapshotName-2', 'right'],
      ['SnapshotUUID-2', '../../../tmp/x'],
      ['SnapshotName-1-1', 'deep'],
      ['SnapshotUUID-1-1', '11111111-2222-3333-4444-55555555555A'],
      ['SnapshotNameX', 'not a node'],
      ['SnapshotUUIDX', '11111111-2222-3333-4444-555555555557'],
      ['SnapshotDescription-1', 'text'],
    ]);
    const { snapshots, current } = parseSnapshots(raw);
    expect(snapshots).toEqual([
      { name: 'root', uuid: '11111111-2222-3333-4444-555555555555' },
      { name: 'left', uuid: '11111111-2222-3333-4444-555555555556' },
      { name: 'deep', uuid: '11111111-2222-3333-4444-55555555555a' },
    ]);
    expect(current).toBeNull();
  });
});
