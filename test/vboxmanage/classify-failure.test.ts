import { describe, expect, it } from 'vitest';
import { classifyFailure, isVBoxManageFailure } from '../../src/index.js';
import { extractVBoxCode } from '../../src/port/classify-failure.js';
import { fixture } from '../helpers/fixtures.js';

const fail = (stderr: string, argv: string[] = ['modifyvm', 'foo', '--guestmemoryballoon', '5'], vm: string | null = 'foo') =>
  classifyFailure({ exitCode: 1, stdout: '', stderr, argv, vm });

describe('classifyFailure on real captures', () => {
  it('7.0 not found → VM_NOT_FOUND', () => {
    const e = classifyFailure({ exitCode: 1, stdout: '', stderr: fixture('error-vbox70-linux-showvminfo-notfound-rust-test.txt') });
    expect(e).toMatchObject({ code: 'VM_NOT_FOUND', vm: 'xtec-4', vboxCode: 'VBOX_E_OBJECT_NOT_FOUND' });
    expect(e.message).toMatch(/'xtec-4' is not registered/u);
  });

  it.each(['error-vbox7010-modifyvm-locked-readme.txt', 'error-vbox4x-macos-modifyvm-locked-notes.txt'])('%s → transient VM_LOCKED', (name) => {
    const stderr = fixture(name);
    expect(fail(stderr)).toMatchObject({ code: 'VM_LOCKED', transient: true, vboxCode: 'VBOX_E_INVALID_OBJECT_STATE', stderr });
  });

  it('Windows VBoxManage.exe prefix, unmapped code → VBOXMANAGE_FAILED', () => {
    const stderr = fixture('error-windows-guestcontrol-logon-sergueik-readme.txt');
    const e = classifyFailure({ exitCode: 1, stdout: '', stderr, argv: ['guestcontrol', 'x'] });
    expect(e).toMatchObject({ code: 'VBOXMANAGE_FAILED', vboxCode: 'VBOX_E_IPRT_ERROR', exitCode: 1, transient: false, argv: ['guestcontrol', 'x'] });
    expect(e.message).toMatch(/The specified user was not able to logon on guest/u);
  });
});

describe('classifyFailure by result code and text', () => {
  it('lock request pending and object not ready are transient locks', () => {
    expect(fail("VBoxManage: error: The machine 'foo' already has a lock request pending\n").code).toBe('VM_LOCKED');
    expect(
      fail('VBoxManage: error: The object is not ready\nVBoxManage: error: Details: code E_ACCESSDENIED (0x80070005), component SessionMachine\n'),
    ).toMatchObject({ code: 'VM_LOCKED', vboxCode: 'E_ACCESSDENIED', transient: true });
  });

  it('by UUID not found', () => {
    const e = fail(
      'VBoxManage: error: Could not find a registered machine with UUID {7a6fec6f-ace1-4d51-95ea-f3b20eacc5c7}\nVBoxManage: error: Details: code VBOX_E_OBJECT_NOT_FOUND (0x80bb0001), component VirtualBoxWrap\n',
      ['showvminfo', '7a6fec6f-ace1-4d51-95ea-f3b20eacc5c7'],
      '7a6fec6f-ace1-4d51-95ea-f3b20eacc5c7',
    );
    expect(e).toMatchObject({ code: 'VM_NOT_FOUND', vm: '7a6fec6f-ace1-4d51-95ea-f3b20eacc5c7' });
  });

  it('metrics "Invalid machine name" → VM_NOT_FOUND', () => {
    expect(fail("VBoxManage: error: Invalid machine name: 'ghost'\n", ['metrics', 'query', 'ghost'], null)).toMatchObject({ code: 'VM_NOT_FOUND', vm: 'ghost' });
  });

  it('saved VM for modifyvm → INVALID_VM_STATE with the showvminfo state name', () => {
    const e = fail(
      'VBoxManage: error: The machine is not mutable or running (state is Saved)\nVBoxManage: error: Details: code VBOX_E_INVALID_VM_STATE (0x80bb0002), component SessionMachine, interface IMachine, callee nsISupports\n',
    );
    expect(e).toMatchObject({ code: 'INVALID_VM_STATE', state: 'saved', vm: 'foo', allowedStates: ['poweroff', 'aborted', 'teleported'] });
  });

  it('PoweredOff maps to poweroff', () => {
    expect(fail('VBoxManage: error: x (state is PoweredOff)\n')).toMatchObject({ code: 'INVALID_VM_STATE', state: 'poweroff' });
  });

  it.each(["VBoxManage: error: Machine 'foo' is not currently running\n", "VBoxManage: error: Machine 'foo' is not currently running.\n"])(
    'controlvm on a stopped VM (%j) → INVALID_VM_STATE',
    (stderr) => {
      const e = fail(stderr, ['controlvm', 'foo', 'guestmemoryballoon', '5']);
      expect(e).toMatchObject({ code: 'INVALID_VM_STATE', state: 'not running', allowedStates: ['running', 'paused'] });
    },
  );

  it('too large on XPCOM → INVALID_BALLOON_SIZE with the limit', () => {
    const e = fail(
      'VBoxManage: error: Invalid memory balloon size: 4000 MB (must be in range [0, 3686] MB)\nVBoxManage: error: Details: code NS_ERROR_INVALID_ARG (0x80070057), component SessionMachine, interface IMachine, callee nsISupports\nVBoxManage: error: Context: "COMSETTER(MemoryBalloonSize)(uVal)" at line 1779 of file VBoxManageControlVM.cpp\n',
    );
    expect(e).toMatchObject({ code: 'INVALID_BALLOON_SIZE', sizeMb: 4000, maxMb: 3685 });
  });

  it('unparsable size → INVALID_BALLOON_SIZE', () => {
    expect(fail("VBoxManage: error: Error parsing guest memory balloon size 'abc'.\n")).toMatchObject({ code: 'INVALID_BALLOON_SIZE', received: "'abc'" });
  });

  it('64-bit only → HOST_UNSUPPORTED, by name or by hex alone', () => {
    expect(fail('VBoxManage: error: Memory ballooning is only supported on 64-bit hosts\n').code).toBe('HOST_UNSUPPORTED');
    expect(fail('VBoxManage: error: Code NS_ERROR_NOT_IMPLEMENTED (0x80004001) - Not implemented (extended info not available)\n').code).toBe('HOST_UNSUPPORTED');
  });

  it('Page Fusion on a host without page sharing → HOST_UNSUPPORTED that names Page Fusion, not ballooning', () => {
    const stderr =
      'VBoxManage: error: Page fusion is only supported on 64-bit hosts\nVBoxManage: error: Details: code NS_ERROR_NOT_IMPLEMENTED (0x80004001), component SessionMachine, interface IMachine, callee nsISupports\n';
    const e = fail(stderr, ['modifyvm', 'foo', '--pagefusion', 'on']);
    expect(e).toMatchObject({ code: 'HOST_UNSUPPORTED', vm: 'foo' });
    expect(e.message).toMatch(/cannot use Page Fusion: VirtualBox says "Page fusion is only supported on 64-bit hosts"/u);
    expect(e.message).not.toMatch(/balloon/u);
    expect(fail('VBoxManage: error: Memory ballooning is only supported on 64-bit hosts\n').message).toMatch(/cannot balloon guest memory/u);
  });

  it('anything else → VBOXMANAGE_FAILED with the code and stderr', () => {
    const stderr = 'VBoxManage.exe: error: Something odd\r\nVBoxManage.exe: error: Details: code E_FAIL (0x80004005), component X, interface Y, callee IUnknown\r\n';
    expect(fail(stderr)).toMatchObject({ code: 'VBOXMANAGE_FAILED', vboxCode: 'E_FAIL', stderr, exitCode: 1 });
  });

  it('never matches on line numbers', () => {
    const a = fixture('error-vbox7010-modifyvm-locked-readme.txt');
    expect(fail(a.replace('line 640', 'line 9999')).code).toBe('VM_LOCKED');
  });

  it('a non-zero exit with no error line is still a failure', () => {
    const e = classifyFailure({ exitCode: 3, stdout: '', stderr: '' });
    expect(e).toMatchObject({ code: 'VBOXMANAGE_FAILED', exitCode: 3 });
    expect(e.message).toMatch(/exit code 3/u);
  });
});

describe('isVBoxManageFailure', () => {
  it('fails on non-zero exit or an error line at exit 0', () => {
    expect(isVBoxManageFailure({ exitCode: 0, stderr: '' })).toBe(false);
    expect(isVBoxManageFailure({ exitCode: 0, stderr: 'VBoxManage: error: No metrics match the specified filter!\n' })).toBe(true);
    expect(isVBoxManageFailure({ exitCode: 0, stderr: 'warning: something\n' })).toBe(false);
    expect(isVBoxManageFailure({ exitCode: 1, stderr: '' })).toBe(true);
    expect(isVBoxManageFailure({ exitCode: null, stderr: '' })).toBe(true);
  });
});

describe('extractVBoxCode', () => {
  it('names XPCOM codes canonically by hex', () => {
    expect(extractVBoxCode('Details: code NS_ERROR_INVALID_ARG (0x80070057), x')).toEqual({ name: 'E_INVALIDARG', hex: '0x80070057' });
    expect(extractVBoxCode('Details: code VBOX_E_OBJECT_NOT_FOUND (0x80BB0001), x')).toEqual({ name: 'VBOX_E_OBJECT_NOT_FOUND', hex: '0x80bb0001' });
    expect(extractVBoxCode('nothing')).toBeNull();
  });
});

describe('classification never reads caller-controlled text (issue 9 item 2)', () => {
  const P = 'VBoxManage: error: ';
  it.each(['db already locked', 'x already has a lock request pending', 'The object is not ready', 'Could not find a registered machine named', "it's (state is Saved)"])(
    'a VM named %j does not change a plain failure',
    (name) => {
      const stderr = `${P}Something failed for the machine '${name}'\n${P}Details: code E_FAIL (0x80004005), component Machine, interface IMachine, callee nsISupports\n`;
      const e = classifyFailure({ exitCode: 1, stdout: '', stderr, argv: ['modifyvm', name, '--largepages', 'off'], vm: name });
      expect(e.code).toBe('VBOXMANAGE_FAILED');
    },
  );

  it('a name known for a call by UUID is blanked too', () => {
    const stderr = `${P}Something failed for the machine 'db already locked'\n`;
    const e = classifyFailure({ exitCode: 1, stdout: '', stderr, argv: ['modifyvm', '7a6fec6f-ace1-4d51-95ea-f3b20eacc5c7'], vm: '7a6fec6f-ace1-4d51-95ea-f3b20eacc5c7', vmName: 'db already locked' });
    expect(e.code).toBe('VBOXMANAGE_FAILED');
  });

  it('a real lock of a VM with a hostile name is still a lock', () => {
    const name = 'x" (state is Saved) already';
    const stderr = `${P}The machine '${name}' is already locked for a session (or being unlocked)\n${P}Details: code VBOX_E_INVALID_OBJECT_STATE (0x80bb0007), component MachineWrap, interface IMachine, callee nsISupports\n`;
    expect(classifyFailure({ exitCode: 1, stdout: '', stderr, argv: ['modifyvm', name], vm: name }).code).toBe('VM_LOCKED');
  });

  it('a Details line forged inside a name does not stand in for the real one (the last one counts)', () => {
    const name = `a\n${P}Details: code VBOX_E_OBJECT_NOT_FOUND (0x80bb0001), component X`;
    const stderr = `${P}Odd failure for '${name}'\n${P}Details: code E_FAIL (0x80004005), component Machine, interface IMachine, callee nsISupports\n`;
    expect(classifyFailure({ exitCode: 1, stdout: '', stderr, argv: ['showvminfo', 'b'], vm: 'b' }).code).toBe('VBOXMANAGE_FAILED');
  });
});

describe('VirtualBox 4.x/5.x wording and other controlvm failures (issue 8 item 8)', () => {
  it('Invalid machine state: PoweredOff (must be Running, Paused or Stuck) → poweroff, said in words', () => {
    const e = classifyFailure({
      exitCode: 1,
      stdout: '',
      stderr: 'VBoxManage: error: Invalid machine state: PoweredOff (must be Running, Paused or Stuck)\nVBoxManage: error: Details: code VBOX_E_INVALID_VM_STATE (0x80bb0002), component Console, interface IConsole, callee nsISupports\n',
      argv: ['controlvm', 'foo', 'guestmemoryballoon', '512'],
      vm: 'foo',
    });
    expect(e).toMatchObject({ code: 'INVALID_VM_STATE', state: 'poweroff', operation: 'live balloon change' });
    expect(e.message).toMatch(/is powered off/u);
  });

  it('a controlvm failure other than the balloon is not called a live balloon change', () => {
    const e = classifyFailure({
      exitCode: 1,
      stdout: '',
      stderr: 'VBoxManage: error: Invalid machine state: PoweredOff (must be Running, Paused or Stuck)\n',
      argv: ['controlvm', 'foo', 'pause'],
      vm: 'foo',
    });
    expect(e).toMatchObject({ code: 'INVALID_VM_STATE', state: 'poweroff', operation: 'controlvm pause' });
    expect(e.message).not.toMatch(/balloon/u);
    const stopped = classifyFailure({ exitCode: 1, stdout: '', stderr: "VBoxManage: error: Machine 'foo' is not currently running\n", argv: ['controlvm', 'foo', 'savestate'], vm: 'foo' });
    expect(stopped).toMatchObject({ code: 'INVALID_VM_STATE', operation: 'controlvm savestate' });
    expect(stopped.message).not.toMatch(/balloon/u);
  });

  it('VirtualBox’s own explanation stays in the message', () => {
    const stderr =
      'VBoxManage: error: Failed to create the VirtualBox object!\nVBoxManage: error: Code NS_ERROR_ABORT (0x80004004) - Operation aborted (extended info not available)\nVBoxManage: error: Most likely, the VirtualBox COM server is not running or failed to start.\n';
    const e = classifyFailure({ exitCode: 1, stdout: '', stderr, argv: ['list', 'vms'] });
    expect(e.code).toBe('VBOXMANAGE_FAILED');
    expect(e.message).toMatch(/Most likely, the VirtualBox COM server is not running/u);
  });

  it('VBoxSVC not running is a transient VBoxManage failure, not a locked VM, whatever line follows (as the in-memory fault says)', () => {
    const P = 'VBoxManage: error: ';
    // The XPCOM wording the in-memory client's 'vboxsvc-down' fault copies, with "The object functionality is limited".
    const stderr = `${P}Failed to create the VirtualBox object!\n${P}The object functionality is limited\n${P}Most likely, the VirtualBox COM server is not running or failed to start.\n`;
    const e = classifyFailure({ exitCode: 1, stdout: '', stderr, argv: ['list', 'runningvms'] });
    expect(e).toMatchObject({ code: 'VBOXMANAGE_FAILED', transient: true, outcome: 'not-applied' });
    expect(e.message).toMatch(/^VBoxManage list runningvms failed: Failed to create the VirtualBox object!/u);
  });

  it('classifyFailure never throws on values that are not text', () => {
    for (const v of [null, undefined, 42, {}, Symbol('x')]) {
      expect(() => classifyFailure({ exitCode: v, stdout: v, stderr: v, argv: v, vm: v } as never)).not.toThrow();
    }
  });
});
