// Every UUID VBoxManage prints is checked where it is parsed: a record file name, a cache key and the argv of every
// later call are built from it, and a remote host's answer is not trusted to be one.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShowVmInfo, parseVmList } from '../../../src/index.js';
import { loadRooms, saveRoom } from '../../../src/cli/room-store.js';

const GOOD = '2e16b1fc-675d-4a7a-a9a1-e89a8bde7874';
const showvminfo = (uuid: string): string => `name="vm"\nUUID="${uuid}"\nVMState="poweroff"\nmemory=1024\nGuestMemoryBalloon=0\n`;
const BAD = ['../../../tmp/x', '------------------------------------', `${GOOD}/../x`, '2e16b1fc675d4a7aa9a1e89a8bde7874', `{${GOOD}`, 'zzzzzzzz-675d-4a7a-a9a1-e89a8bde7874', ''];

describe('UUIDs from VBoxManage are checked where they are parsed', () => {
  it('showvminfo: a UUID that is not one is a PARSE_ERROR naming it', () => {
    for (const uuid of BAD) {
      const r = parseShowVmInfo(showvminfo(uuid));
      expect(r.isErr(), uuid).toBe(true);
      expect(r._unsafeUnwrapErr()).toMatchObject({ code: 'PARSE_ERROR' });
      expect(r._unsafeUnwrapErr().message, uuid).toMatch(/UUID/u);
    }
    expect(parseShowVmInfo(showvminfo(GOOD.toUpperCase()))._unsafeUnwrap().uuid).toBe(GOOD);
    expect(parseShowVmInfo(showvminfo(`{${GOOD}}`))._unsafeUnwrap().uuid).toBe(GOOD);
  });

  it('list vms: an entry whose braces hold no UUID is a PARSE_ERROR, never a VM', () => {
    for (const uuid of ['------------------------------------', '2e16b1fc-675d-4a7a-a9a1-e89a8bde787-', '2e16b1fc6-75d-4a7a-a9a1-e89a8bde7874']) {
      const r = parseVmList(`"a" {${uuid}}\n`);
      expect(r.isErr(), uuid).toBe(true);
      expect(r._unsafeUnwrapErr()).toMatchObject({ code: 'PARSE_ERROR' });
    }
    expect(parseVmList(`"a" {${GOOD}}\n`)._unsafeUnwrap()).toEqual([{ name: 'a', uuid: GOOD }]);
  });

  it('room records: a file name is built only from a checked UUID', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'uuid-room-')), 'state');
    const record = (uuid: string) => ({ host: 'local', record: { vm: 'vm', uuid, taken: [] } }) as never;
    for (const uuid of ['../../../tmp/x', '../x', 'a/b', '']) {
      expect(saveRoom(dir, record(uuid)), uuid).toMatchObject({ problem: expect.stringMatching(/not a VM UUID/u) as unknown });
      expect(loadRooms(dir, uuid), uuid).toMatchObject({ problem: expect.stringMatching(/not a VM UUID/u) as unknown });
    }
    expect(readdirSync(join(dir, '..'))).toEqual([]);
    expect(saveRoom(dir, record(GOOD))).toEqual({ file: join(dir, `room-${GOOD}.json`), earlier: 0 });
  });
});
