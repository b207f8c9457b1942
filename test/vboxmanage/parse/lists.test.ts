import type { MetricRow } from '../../../src/port/parse/metrics.js';
import { guestMemoryFromRows } from '../../../src/port/guest-memory.js';
import { describe, expect, it } from 'vitest';
import { parseHostInfo, parseMetricsQuery, parseVersion, parseVmList } from '../../../src/index.js';
import { fixture } from '../../helpers/fixtures.js';

describe('parseVmList', () => {
  it('reads the terrafarm capture', () => {
    expect(parseVmList(fixture('list-vms-macos-terrafarm-testdata.txt'))._unsafeUnwrap()).toEqual([
      { name: 'Ubuntu', uuid: '2e16b1fc-675d-4a7a-a9a1-e89a8bde7874' },
      { name: 'go-virtualbox', uuid: 'def44546-e3da-4902-8d15-b91c99c80cbc' },
    ]);
  });

  it('reads the socbed capture with a spaced name', () => {
    expect(parseVmList(fixture('list-vms-socbed-fixture.txt'))._unsafeUnwrap()).toEqual([
      { name: 'Attacker', uuid: '8451900b-320a-43b4-9eb9-9bd6656f33ad' },
      { name: 'Client', uuid: '4d0986c7-eabc-4cd3-a2f3-e28111a66ac1' },
      { name: 'Company Router', uuid: 'd75d3108-266b-420e-aa74-bc73f689ee9c' },
    ]);
  });

  it('reads names with quotes, braces and CRLF', () => {
    const text = '"a"b" {2e16b1fc-675d-4a7a-a9a1-e89a8bde7874}\r\n"x {y} \\z" {DEF44546-E3DA-4902-8D15-B91C99C80CBC}\r\n';
    expect(parseVmList(text)._unsafeUnwrap()).toEqual([
      { name: 'a"b', uuid: '2e16b1fc-675d-4a7a-a9a1-e89a8bde7874' },
      { name: 'x {y} \\z', uuid: 'def44546-e3da-4902-8d15-b91c99c80cbc' },
    ]);
  });

  it('joins a name that holds a line break', () => {
    expect(parseVmList('"two\nlines" {2e16b1fc-675d-4a7a-a9a1-e89a8bde7874}\n')._unsafeUnwrap()[0]?.name).toBe('two\nlines');
  });

  it('reads no output as no VMs', () => {
    expect(parseVmList('')._unsafeUnwrap()).toEqual([]);
  });

  it.each(['garbage', '"unterminated {2e16b1fc-675d}'])('gives PARSE_ERROR for %j', (text) => {
    expect(parseVmList(text)._unsafeUnwrapErr().code).toBe('PARSE_ERROR');
  });
});

// objectColumn is checked on its own below.
const noColumn = (row: MetricRow) => {
  const { objectColumn, ...rest } = row;
  expect(typeof objectColumn).toBe('string');
  return rest;
};

describe('parseMetricsQuery', () => {
  it('keeps the padded object column, so that names differing by trailing spaces stay apart', () => {
    const text = 'a               Guest/RAM/Usage/Free                     1 kB\nabcdefghijklmnop  Guest/RAM/Usage/Free                     2 kB\n';
    const rows = parseMetricsQuery(text)._unsafeUnwrap();
    expect(rows.map((r) => r.objectColumn)).toEqual(['a'.padEnd(15), 'abcdefghijklmnop ']);
    expect(rows.map((r) => r.object)).toEqual(['a', 'abcdefghijklmnop']);
  });

  it('reads a VM name with a line break as one object instead of failing the whole table', () => {
    const text = [
      'Object          Metric                                   Values',
      '--------------- ---------------------------------------- --------------------------------------------',
      `${'two\nlines'.padEnd(15)} Guest/RAM/Usage/Free                     1024 kB`,
      'web-1           Guest/RAM/Usage/Free                     2048 kB',
      '',
    ].join('\n');
    const rows = parseMetricsQuery(text)._unsafeUnwrap();
    expect(rows.map((r) => [r.object, r.values[0]])).toEqual([['two\nlines', 1024], ['web-1', 2048]]);
    expect(rows[0]?.objectColumn).toBe('two\nlines'.padEnd(15));
  });

  it.each([
    ['400 digits', `web-1           Guest/RAM/Usage/Free                     ${'9'.repeat(400)} kB\n`],
    ['beyond MAX_SAFE_INTEGER', `web-1           Guest/RAM/Usage/Free                     ${2 ** 53 + 2} kB\n`],
  ])('a value that does not fit (%s) is PARSE_ERROR, never Infinity', (_name, text) => {
    expect(parseMetricsQuery(text)._unsafeUnwrapErr().code).toBe('PARSE_ERROR');
  });

  it('reads the captured guest RAM table in registration order', () => {
    expect(parseMetricsQuery(fixture('metrics-query-guest-ram-notes.txt'))._unsafeUnwrap().map(noColumn)).toEqual([
      { object: 'guest_name', metric: 'Guest/RAM/Usage/Total', values: [8388152], unit: 'kB' },
      { object: 'guest_name', metric: 'Guest/RAM/Usage/Free', values: [7519332], unit: 'kB' },
      { object: 'guest_name', metric: 'Guest/RAM/Usage/Cache', values: [2996104], unit: 'kB' },
    ]);
  });

  it('reads VM names with spaces, long names, empty rows, several values and percentages', () => {
    const text = [
      'Object          Metric                                   Values',
      '--------------- ---------------------------------------- --------------------------------------------',
      'Company Router  Guest/RAM/Usage/Free                     1024 kB',
      'a-very-long-vm-name-over-fifteen Guest/RAM/Usage/Balloon 0 kB, 2048 kB',
      'web-1           Guest/RAM/Usage/Total                    ',
      'host            CPU/Load/User                            1.56%',
      '',
    ].join('\n');
    expect(parseMetricsQuery(text)._unsafeUnwrap().map(noColumn)).toEqual([
      { object: 'Company Router', metric: 'Guest/RAM/Usage/Free', values: [1024], unit: 'kB' },
      { object: 'a-very-long-vm-name-over-fifteen', metric: 'Guest/RAM/Usage/Balloon', values: [0, 2048], unit: 'kB' },
      { object: 'web-1', metric: 'Guest/RAM/Usage/Total', values: [], unit: null },
      { object: 'host', metric: 'CPU/Load/User', values: [1.56], unit: '%' },
    ]);
  });

  it('reads Guest/RAM/Usage/Shared (Page Fusion) into sharedMb with the other figures; absent or empty is null', () => {
    const text = [
      'Object          Metric                                   Values',
      '--------------- ---------------------------------------- --------------------------------------------',
      'win-1           Guest/RAM/Usage/Total                    4194304 kB',
      'win-1           Guest/RAM/Usage/Free                     1048576 kB',
      'win-1           Guest/RAM/Usage/Balloon                  0 kB',
      'win-1           Guest/RAM/Usage/Shared                   262144 kB',
      'win-1           Guest/RAM/Usage/Cache                    524288 kB',
      'win-2           Guest/RAM/Usage/Total                    4194304 kB',
      'win-2           Guest/RAM/Usage/Shared                   ',
      '',
    ].join('\n');
    const rows = parseMetricsQuery(text)._unsafeUnwrap();
    expect(guestMemoryFromRows('win-1', 'win-1', rows)).toEqual({ vm: 'win-1', totalMb: 4096, freeMb: 1024, freeMinMb: 1024, balloonMb: 0, cacheMb: 512, sharedMb: 256 });
    expect(guestMemoryFromRows('win-2', 'win-2', rows).sharedMb).toBeNull();
    expect(guestMemoryFromRows('guest_name', 'guest_name', parseMetricsQuery(fixture('metrics-query-guest-ram-notes.txt'))._unsafeUnwrap()).sharedMb).toBeNull();
  });

  it('reads the window: freeMb is the latest sample, freeMinMb the :min aggregate, else the least sample, never above the latest', () => {
    const head = ['Object          Metric                                   Values', '--------------- ---------------------------------------- --------------------------------------------'];
    const withMin = parseMetricsQuery([...head, 'vm-1            Guest/RAM/Usage/Free                     2097152 kB, 1048576 kB, 3145728 kB', 'vm-1            Guest/RAM/Usage/Free:min                 524288 kB', ''].join('\n'))._unsafeUnwrap();
    expect(guestMemoryFromRows('vm-1', 'vm-1', withMin)).toMatchObject({ freeMb: 3072, freeMinMb: 512 });
    const samplesOnly = parseMetricsQuery([...head, 'vm-1            Guest/RAM/Usage/Free                     2097152 kB, 1048576 kB, 3145728 kB', ''].join('\n'))._unsafeUnwrap();
    expect(guestMemoryFromRows('vm-1', 'vm-1', samplesOnly)).toMatchObject({ freeMb: 3072, freeMinMb: 1024 });
    const minAboveLatest = parseMetricsQuery([...head, 'vm-1            Guest/RAM/Usage/Free                     1048576 kB', 'vm-1            Guest/RAM/Usage/Free:min                 2097152 kB', ''].join('\n'))._unsafeUnwrap();
    expect(guestMemoryFromRows('vm-1', 'vm-1', minAboveLatest)).toMatchObject({ freeMb: 1024, freeMinMb: 1024 });
    const minOnly = parseMetricsQuery([...head, 'vm-1            Guest/RAM/Usage/Free                     ', 'vm-1            Guest/RAM/Usage/Free:min                 2097152 kB', ''].join('\n'))._unsafeUnwrap();
    expect(guestMemoryFromRows('vm-1', 'vm-1', minOnly)).toMatchObject({ freeMb: null, freeMinMb: null });
  });

  it('reads a name that itself looks like a metric', () => {
    const rows = parseMetricsQuery('x Guest/RAM/Usage/Free  Guest/RAM/Usage/Free   5 kB\n')._unsafeUnwrap();
    expect(rows.map(noColumn)).toEqual([{ object: 'x Guest/RAM/Usage/Free', metric: 'Guest/RAM/Usage/Free', values: [5], unit: 'kB' }]);
  });

  it('reads header-only output (VM not running) as no rows', () => {
    expect(parseMetricsQuery(fixture('metrics-query-guest-ram-notes.txt').split('\n').slice(0, 2).join('\n'))._unsafeUnwrap()).toEqual([]);
  });

  it('gives PARSE_ERROR for garbage', () => {
    expect(parseMetricsQuery('%%% not a table')._unsafeUnwrapErr().source).toBe('metrics query');
  });
});

const HOSTINFO = `Host Information:

Host time: 2026-11-26T10:00:00.000000000Z
Processor online count: 8
Processor count: 8
Processor supports long mode: yes
Processor#0 speed: unknown
Processor#0 description: AMD Ryzen 7: 8-Core
Memory size: 64222 MByte
Memory available: 51234 MByte
Operating system: Linux
Operating system version: 6.1.0-18-amd64
`;

describe('parseHostInfo', () => {
  it('reads the labels it needs', () => {
    expect(parseHostInfo(HOSTINFO)._unsafeUnwrap()).toEqual({
      os: 'Linux',
      osVersion: '6.1.0-18-amd64',
      memoryMb: 64222,
      memoryAvailableMb: 51234,
      is64Bit: null,
    });
  });

  it('reads CRLF and a Windows product name', () => {
    const text = HOSTINFO.replace('Operating system: Linux', 'Operating system: Windows 11').replace(/\n/gu, '\r\n');
    expect(parseHostInfo(text)._unsafeUnwrap().os).toBe('Windows 11');
  });

  it('names what is missing', () => {
    const e = parseHostInfo('Host Information:\nOperating system: Linux\n')._unsafeUnwrapErr();
    expect(e.message).toMatch(/Memory size, Memory available/u);
  });
});

describe('parseVersion', () => {
  it.each([
    ['6.1.36r152435', { major: 6, minor: 1, build: 36, revision: 152435, suffix: '' }],
    ['7.0.10r158379\n', { major: 7, minor: 0, build: 10, revision: 158379, suffix: '' }],
    ['6.1.38_Ubuntur153438', { major: 6, minor: 1, build: 38, revision: 153438, suffix: '_Ubuntu' }],
    ['7.1.0_BETA1r164000\r\n', { major: 7, minor: 1, build: 0, revision: 164000, suffix: '_BETA1' }],
    ['WARNING: The vboxdrv kernel module is not loaded.\n7.0.14r161095\n', { major: 7, minor: 0, build: 14, revision: 161095, suffix: '' }],
  ])('reads %j', (text, expected) => {
    expect(parseVersion(text)._unsafeUnwrap()).toMatchObject(expected);
  });

  it('keeps the raw line', () => {
    expect(parseVersion(' 7.0.10r158379 ')._unsafeUnwrap().raw).toBe('7.0.10r158379');
  });

  it('refuses garbage', () => {
    expect(parseVersion('Oracle VM VirtualBox')._unsafeUnwrapErr().code).toBe('PARSE_ERROR');
  });
});
