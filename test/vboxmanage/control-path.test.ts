// The shared ssh connection's socket path: short enough for a Unix socket (104 bytes on macOS, with ssh's temporary
// suffix), nothing ssh would expand or split, and a fallback when TMPDIR is long or odd.
import { describe, expect, it } from 'vitest';
import { checkSshOptions } from '../../src/real-client/ssh/ssh-target.js';
import { controlDirProblem, privateDirParent, PRIVATE_SOCKET, SHARED_SOCKET } from '../../src/real-client/ssh/control-path.js';

const MACOS_TMPDIR = '/var/folders/zz/zyxvpxvq6csfxvn_n0000000000000/T/'; // 49 characters, as macOS makes it

describe('ssh control socket path', () => {
  it("macOS's TMPDIR fits, with the short socket name", () => {
    expect(MACOS_TMPDIR).toHaveLength(49);
    expect(privateDirParent([MACOS_TMPDIR, '/tmp'])).toBe(MACOS_TMPDIR.slice(0, -1));
  });

  it('a TMPDIR too long, or with a space or %, falls back to /tmp, then HOME', () => {
    expect(privateDirParent([`/var/${'x'.repeat(80)}`, '/tmp', '/home/me'])).toBe('/tmp');
    expect(privateDirParent(['/tmp/with space', '/tmp'])).toBe('/tmp');
    expect(privateDirParent(['/tmp/100%', '/tmp'])).toBe('/tmp');
    expect(privateDirParent(['relative/tmp', '/home/me'])).toBe('/home/me');
    expect(privateDirParent([`/${'y'.repeat(90)}`])).toBeNull();
  });

  it('every path chosen stays within the limit once ssh adds its temporary suffix', () => {
    for (let n = 1; n < 120; n++) {
      const parent = privateDirParent([`/${'a'.repeat(n)}`]);
      if (parent !== null) expect(`${parent}/vbb-XXXXXX/${PRIVATE_SOCKET}.XXXXXXXXXXXXXXXX`.length).toBeLessThanOrEqual(103);
    }
  });

  it("a caller's controlDir must be plain and short enough for %C", () => {
    expect(controlDirProblem('/tmp/vbs-abc', SHARED_SOCKET)).toBeNull();
    expect(controlDirProblem(MACOS_TMPDIR + 'vbb', SHARED_SOCKET)).toMatch(/too long/u);
    expect(checkSshOptions({ host: 'h', controlDir: '/tmp/a b' })._unsafeUnwrapErr().message).toMatch(/ssh\.controlDir.*space/u);
    expect(checkSshOptions({ host: 'h', controlDir: `/tmp/${'d'.repeat(60)}` })._unsafeUnwrapErr().message).toMatch(/too long/u);
    expect(checkSshOptions({ host: 'h', controlDir: '/tmp/vbs-abc' }).isOk()).toBe(true);
  });
});

describe('the ssh launcher under a long or odd TMPDIR', () => {
  const launchWith = async (tmp: string): Promise<string> => {
    const { mkdirSync } = await import('node:fs');
    const { SshLauncher } = await import('../../src/real-client/ssh-launcher.js');
    const { POSIX_PROBE } = await import('../../src/real-client/ssh/remote-script.js');
    mkdirSync(tmp, { recursive: true });
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = tmp;
    const seen: string[][] = [];
    const launcher = new SshLauncher({ host: 'lab-1' }, (_file, args) => {
      seen.push([...args]);
      return Promise.resolve({ exitCode: 0, stdout: `${POSIX_PROBE.expect}\n`, stderr: '' });
    });
    try {
      const launched = (await launcher.launch(['list', 'vms'], 1000, undefined))._unsafeUnwrap();
      const path = launched.args.find((a) => a.startsWith('ControlPath='))?.slice('ControlPath='.length) ?? '';
      await launcher.close();
      return path;
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
  };

  for (const [label, tmp] of [
    ['49 characters, as on macOS', `/tmp/${'m'.repeat(43)}/`],
    ['90 characters', `/tmp/${'n'.repeat(85)}`],
    ['a space', '/tmp/with space'],
    ['a %', '/tmp/pct%d'],
  ] as const) {
    it(`TMPDIR with ${label}: the socket path fits and has nothing ssh would expand or split`, async () => {
      const path = await launchWith(tmp);
      expect(path).toMatch(/^\/[A-Za-z0-9/._-]+$/u);
      expect(`${path}.XXXXXXXXXXXXXXXX`.length).toBeLessThanOrEqual(103);
    });
  }
});
