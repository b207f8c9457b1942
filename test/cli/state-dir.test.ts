// The state directory's files: written whole and private, never through a symbolic link, never over a planted file.
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPrivateDir, readStateFile, replaceFile, stateDir, writeNewFile } from '../../src/cli/state-dir.js';

const fresh = (): string => {
  const dir = join(mkdtempSync(join(tmpdir(), 'state-dir-')), 'state');
  mkdirSync(dir, { mode: 0o700 });
  return dir;
};

describe('state directory files', () => {
  it('a new file is 0600 and never written over an existing name or through a planted link', () => {
    const dir = fresh();
    expect(writeNewFile(dir, 'a.json', 'one')).toBe(true);
    expect(statSync(join(dir, 'a.json')).mode & 0o777).toBe(0o600);
    expect(writeNewFile(dir, 'a.json', 'two')).toBe(false);
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('one');
    const victim = join(dir, '..', 'victim');
    writeFileSync(victim, 'keep');
    symlinkSync(victim, join(dir, 'b.json'));
    expect(writeNewFile(dir, 'b.json', 'evil')).toBe(false);
    replaceFile(dir, 'b.json', 'mine');
    expect(readFileSync(victim, 'utf8')).toBe('keep');
    expect(lstatSync(join(dir, 'b.json')).isSymbolicLink()).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.json']); // no temporary file left behind
  });

  it('reads only regular files, never through a link', () => {
    const dir = fresh();
    writeFileSync(join(dir, '..', 'secret'), 'x');
    symlinkSync(join(dir, '..', 'secret'), join(dir, 'link.json'));
    expect(readStateFile(join(dir, 'link.json'))).toMatchObject({ problem: expect.stringMatching(/symbolic link/u) as unknown });
    expect(readStateFile(dir)).toMatchObject({ problem: expect.stringMatching(/not a regular file|EISDIR/u) as unknown });
  });

  it('a directory of another mode or a link is refused; a missing one is made 0700', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'state-dir-')), 'a', 'b');
    expect(checkPrivateDir(dir)).toBeNull();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const group = fresh();
    mkdirSync(join(group, 'g'));
    chmodSync(join(group, 'g'), 0o770);
    expect(checkPrivateDir(join(group, 'g'))?.problem).toMatch(/written by other users \(mode 770\)/u);
  });

  it('where it is: the flag, the variable, an absolute XDG_STATE_HOME, else HOME', () => {
    expect(stateDir('/x/y', {}, '/home/u')).toBe('/x/y');
    expect(stateDir(undefined, { VBOX_BALLOON_STATE_DIR: '/s' }, '/home/u')).toBe('/s');
    expect(stateDir(undefined, { XDG_STATE_HOME: '/xdg' }, '/home/u')).toBe('/xdg/vbox-balloon');
    expect(stateDir(undefined, { XDG_STATE_HOME: 'rel/xdg' }, '/home/u')).toBe('/home/u/.local/state/vbox-balloon');
    expect(stateDir(undefined, { XDG_STATE_HOME: '' }, '/home/u')).toBe('/home/u/.local/state/vbox-balloon');
    // Under systemd: the unit's StateDirectory= (the first of several), before XDG; the own variable still wins.
    expect(stateDir(undefined, { STATE_DIRECTORY: '/var/lib/vbox-balloon-vbox:/var/lib/other', XDG_STATE_HOME: '/xdg' }, '/home/u')).toBe('/var/lib/vbox-balloon-vbox');
    expect(stateDir(undefined, { STATE_DIRECTORY: '/var/lib/v', VBOX_BALLOON_STATE_DIR: '/s' }, '/home/u')).toBe('/s');
    expect(stateDir(undefined, { STATE_DIRECTORY: 'relative' }, '/home/u')).toBe('/home/u/.local/state/vbox-balloon');
  });
});
