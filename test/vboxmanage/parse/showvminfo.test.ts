import { describe, expect, it } from 'vitest';
import { parseShowVmInfo } from '../../../src/index.js';
import { parseMachineReadable } from '../../../src/port/parse/showvminfo.js';
import { fixture } from '../../helpers/fixtures.js';

describe('parseShowVmInfo on real captures', () => {
  it('5.x macOS poweroff (pitstopcloud)', () => {
    const vm = parseShowVmInfo(fixture('showvminfo-vbox5x-macos-poweroff-pitstopcloud-test.txt'))._unsafeUnwrap();
    expect(vm).toMatchObject({
      name: 'testvm1',
      uuid: '6aa44e71-71c6-4e68-a61f-f69e133ecffa',
      state: 'poweroff',
      memoryMb: 128,
      balloonMb: 0,
      largePages: true,
      guestAdditions: { runLevel: null, version: null },
      osType: 'Other Linux (32-bit)',
    });
    expect(vm.raw.get('groups')).toBe('/tess,/tess2');
    expect(vm.raw.get('CfgFile')).toBe('/Users/araveendrann/VirtualBox VMs/tess/testvm1/testvm1.vbox');
    expect(vm.raw.get('SATA1-0-0')).toBe('/Users/araveendrann/VirtualBox VMs/tess/testvm1/disk1.vdi');
  });

  it('5.x macOS saved (terrafarm)', () => {
    const vm = parseShowVmInfo(fixture('showvminfo-vbox5x-macos-saved-terrafarm-testdata.txt'))._unsafeUnwrap();
    expect(vm).toMatchObject({
      name: 'go-virtualbox',
      uuid: '37f5d336-bf07-48dd-947c-37e6a56420a7',
      state: 'saved',
      memoryMb: 1024,
      balloonMb: 0,
      largePages: true,
      osType: 'Ubuntu (64-bit)',
      guestAdditions: { runLevel: null, version: null },
    });
    expect(vm.raw.get('VMStateFile')).toBe('/Users/fix/VirtualBox VMs/go-virtualbox/Snapshots/2018-04-23T09-29-48-014952000Z.sav');
    expect(vm.raw.get('IDE Controller-0-0')).toBe('none');
    expect(vm.raw.get('vrdeport')).toBe('-1');
    expect([...vm.raw.keys()].some((k) => k.startsWith('vrdeproperty['))).toBe(true);
    expect(vm.raw.get('Forwarding(0)')).toMatch(/tcp/u);
  });

  it('5.x Linux poweroff with a spaced name (socbed)', () => {
    const vm = parseShowVmInfo(fixture('showvminfo-vbox5x-poweroff-socbed-fixture.txt'))._unsafeUnwrap();
    expect(vm).toMatchObject({
      name: 'Company Router',
      uuid: 'd75d3108-266b-420e-aa74-bc73f689ee9c',
      state: 'poweroff',
      memoryMb: 512,
      balloonMb: 0,
      largePages: false,
      osType: 'Other Linux (32-bit)',
    });
    expect(vm.raw.get('IDE-IsEjected')).toBe('off');
    expect(vm.raw.get('hostonlyadapter4')).toBe('vboxnet0');
  });

  it('5.2/6.0 Windows poweroff with CRLF and raw paths (sailfish)', () => {
    const text = fixture('showvminfo-vbox5x-windows-poweroff-sailfish-helper.txt');
    expect(text).toContain('\r\n');
    const vm = parseShowVmInfo(text)._unsafeUnwrap();
    expect(vm).toMatchObject({
      name: 'Sailfish OS Build Engine',
      uuid: '5bc88aa7-3372-4122-9d67-52b62310fdc4',
      state: 'poweroff',
      memoryMb: 8192,
      balloonMb: 0,
      largePages: true,
      osType: 'Linux 2.6 / 3.x / 4.x (32-bit)',
    });
    expect(vm.raw.get('CfgFile')).toBe('C:\\SailfishOS\\mersdk\\Sailfish OS Build Engine\\Sailfish OS Build Engine.vbox');
    expect(vm.raw.get('SATA-1-0')).toBe('C:\\SailfishOS\\mersdk\\mer.vdi');
    expect(vm.raw.get('videocapopts')).toBe('ac_enabled=false');
    expect(vm.raw.get('videocapres')).toBe('1024x768');
    expect(vm.raw.get('SessionType')).toBe('headless');
    for (const v of vm.raw.values()) expect(v).not.toContain('\r');
  });

  it('7.0 Linux poweroff with the Encryption line and a multi-line description (vedv)', () => {
    const vm = parseShowVmInfo(fixture('showvminfo-vbox70-vedv-bats-fixture.txt'))._unsafeUnwrap();
    expect(vm).toMatchObject({
      name: 'manjaro-gnome-x64-full-clean',
      uuid: '19e117b3-06f4-4a1e-851d-47336ad6a142',
      state: 'poweroff',
      memoryMb: 4096,
      balloonMb: 0,
      largePages: true,
      osType: 'Arch Linux (64-bit)',
    });
    expect(vm.raw.get('description')).toBe('name1=value1\nname2=value2');
    expect(vm.raw.has('name2')).toBe(false);
    expect(vm.raw.get('BIOS NVRAM File')).toMatch(/\.nvram$/u);
    expect([...vm.raw.keys()].some((k) => k.startsWith('Encryption'))).toBe(false);
    expect([...vm.raw.keys()].some((k) => k.includes('rec_screen0') && !k.includes('='))).toBe(false);
  });
});

const RUNNING = [
  'name="web 1"',
  'UUID="7A6FEC6F-ACE1-4D51-95EA-F3B20EACC5C7"',
  'memory=2048',
  'largepages="off"',
  'VMState="running"',
  'GuestMemoryBalloon=512',
  'GuestOSType="Linux26_64"',
  'GuestAdditionsRunLevel=2',
  'GuestAdditionsVersion="6.0.0 r127566"',
  'GuestAdditionsFacility_VirtualBox Base Driver=50,1788999291495',
  '',
].join('\n');

describe('parseShowVmInfo quirks', () => {
  it('reads a running VM with Guest Additions', () => {
    const vm = parseShowVmInfo(RUNNING)._unsafeUnwrap();
    expect(vm).toMatchObject({
      name: 'web 1',
      uuid: '7a6fec6f-ace1-4d51-95ea-f3b20eacc5c7',
      state: 'running',
      memoryMb: 2048,
      balloonMb: 512,
      largePages: false,
      guestAdditions: { runLevel: 2, version: '6.0.0 r127566' },
    });
    expect(vm.raw.get('GuestAdditionsFacility_VirtualBox Base Driver')).toBe('50,1788999291495');
  });

  it('accepts quoted numbers (7.1)', () => {
    const vm = parseShowVmInfo(RUNNING.replace('memory=2048', 'memory="2048"').replace('GuestMemoryBalloon=512', 'GuestMemoryBalloon="512"'))._unsafeUnwrap();
    expect([vm.memoryMb, vm.balloonMb]).toEqual([2048, 512]);
  });

  it('unescapes \\" and \\\\ in names', () => {
    const vm = parseShowVmInfo(RUNNING.replace('name="web 1"', 'name="a\\"b\\\\c"'))._unsafeUnwrap();
    expect(vm.name).toBe('a"b\\c');
  });

  it('reads a quoted key with = inside (7.0)', () => {
    const map = parseMachineReadable('"a=b"="c"\nx=1\n');
    expect(map.get('a=b')).toBe('c');
    expect(map.get('x')).toBe('1');
  });

  it('drops text after a closing quote (≤6.0 VideoMode)', () => {
    expect(parseMachineReadable('VideoMode="1288,790,32"@0,0 1\nnext=2\n').get('VideoMode')).toBe('1288,790,32');
  });

  it('keeps the first occurrence of a key', () => {
    expect(parseMachineReadable('k="1"\nk="2"\n').get('k')).toBe('1');
  });

  it('reads a multi-line value with an escaped quote at a line end', () => {
    const map = parseMachineReadable('description="say \\"hi\\"\nmore=text"\nnext="x"\n');
    expect(map.get('description')).toBe('say "hi"\nmore=text');
    expect(map.get('next')).toBe('x');
  });

  it('survives a raw path ending in a backslash', () => {
    const map = parseMachineReadable('"SATA-0-0"="C:\\dir\\"\nmemory=1\n');
    expect(map.get('SATA-0-0')).toBe('C:\\dir\\');
    expect(map.get('memory')).toBe('1');
  });

  it('ignores a glued cpuid line gracefully', () => {
    expect(parseMachineReadable('cpuid=00000001 00000002memory=5\nVMState="paused"').get('VMState')).toBe('paused');
  });

  it('maps an unknown state to unknown', () => {
    expect(parseShowVmInfo(RUNNING.replace('"running"', '"неизвестно"'))._unsafeUnwrap().state).toBe('unknown');
  });

  it('reads aborted-saved', () => {
    expect(parseShowVmInfo(RUNNING.replace('"running"', '"aborted-saved"'))._unsafeUnwrap().state).toBe('aborted-saved');
  });

  it('gives largePages null when the key is absent (ARM VMs on 7.1)', () => {
    expect(parseShowVmInfo(RUNNING.replace('largepages="off"\n', ''))._unsafeUnwrap().largePages).toBeNull();
  });

  it.each<[string, string, boolean | null]>([
    ['on', 'pagefusion="on"\n', true],
    ['off', 'pagefusion="off"\n', false],
    ['ON in capitals', 'pagefusion="ON"\n', true],
    ['absent', '', null],
    ['something else', 'pagefusion="maybe"\n', null],
  ])('reads pagefusion %s', (_label, line, expected) => {
    expect(parseShowVmInfo(RUNNING.replace('largepages="off"\n', `largepages="off"\n${line}`))._unsafeUnwrap().pageFusion).toBe(expected);
  });

  it('reads pagefusion="off" from every real capture', () => {
    for (const name of ['showvminfo-vbox5x-macos-poweroff-pitstopcloud-test.txt', 'showvminfo-vbox5x-windows-poweroff-sailfish-helper.txt', 'showvminfo-vbox70-vedv-bats-fixture.txt']) {
      expect(parseShowVmInfo(fixture(name))._unsafeUnwrap().pageFusion).toBe(false);
    }
  });

  it('refuses an inaccessible VM', () => {
    const e = parseShowVmInfo('name="<inaccessible>"\nUUID="7a6fec6f-ace1-4d51-95ea-f3b20eacc5c7"\n')._unsafeUnwrapErr();
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.message).toMatch(/inaccessible/u);
  });

  it.each([
    ['empty output', ''],
    ['garbage', '\u0000\u0001garbage{{{'],
    ['a cut-off output', RUNNING.slice(0, 60)],
  ])('gives PARSE_ERROR for %s', (_label, text) => {
    const e = parseShowVmInfo(text)._unsafeUnwrapErr();
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.source).toBe('showvminfo');
    expect(e.message).toMatch(/missing/u);
  });

  it('refuses a non-numeric memory', () => {
    expect(parseShowVmInfo(RUNNING.replace('memory=2048', 'memory=lots'))._unsafeUnwrapErr().message).toMatch(/memory is not a number/u);
  });
});
