// Parsers on hostile input: every worst case of 1 MB gets an answer (a Result, never a throw or a stack overflow).
// How long they take, and that eight times the input takes about eight times as long, is measured by `npm run bench`
// (docs/benchmarks.md): a test asserts what happened, never how long it took on this machine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyFailure, parseHostInfo, parseMetricsQuery, parseShowVmInfo, parseVersion, parseVmList } from '../../../src/index.js';
import { HOSTILE_INPUTS } from '../../../bench/hostile-inputs.js';

const PARSERS = [
  ['parseShowVmInfo', parseShowVmInfo],
  ['parseVmList', parseVmList],
  ['parseMetricsQuery', parseMetricsQuery],
  ['parseHostInfo', parseHostInfo],
  ['parseVersion', parseVersion],
] as const;

describe('parsers answer 1 MB of every hostile input', () => {
  it.each(PARSERS)('%s: a Result for each worst case, Ok or PARSE_ERROR', (_name, parse) => {
    for (const input of HOSTILE_INPUTS) {
      let r: ReturnType<typeof parse> | undefined;
      expect(() => (r = parse(input.make(1 << 20))), input.name).not.toThrow();
      if (r?.isErr() === true) expect(r.error.code, input.name).toBe('PARSE_ERROR');
      else expect(r?.isOk(), input.name).toBe(true);
    }
  });

  it('classifyFailure: an error for each worst case, with a message of bounded size', () => {
    for (const input of HOSTILE_INPUTS) {
      const e = classifyFailure({ exitCode: 1, stdout: '', stderr: input.make(1 << 20), argv: ['modifyvm', 'x'], vm: 'x' });
      expect(typeof e.code, input.name).toBe('string');
      expect(e.message.length, input.name).toBeLessThan(1 << 20);
    }
  });
});

describe('parsers never throw on values that are not text', () => {
  const anything = fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withDate: true });
  it.each(PARSERS.slice(0, 5))('%s returns PARSE_ERROR for any non-string', (_name, parse) => {
    fc.assert(
      fc.property(anything.filter((v) => typeof v !== 'string'), (value) => {
        const r = (parse as (v: unknown) => ReturnType<typeof parseVersion>)(value);
        expect(r._unsafeUnwrapErr().code).toBe('PARSE_ERROR');
      }),
      { numRuns: 200 },
    );
  });

  it('null, undefined, Symbol and an object whose toString throws', () => {
    const hostile = { toString: () => { throw new Error('no'); } };
    for (const [, parse] of PARSERS.slice(0, 5)) {
      for (const v of [null, undefined, Symbol('s'), hostile, 42, ['a']]) {
        expect((parse as (v: unknown) => ReturnType<typeof parseVersion>)(v).isErr()).toBe(true);
      }
    }
  });
});

describe('numbers that do not fit are PARSE_ERROR, never Infinity', () => {
  const huge = '9'.repeat(400);
  it.each([
    ['version', () => parseVersion(`${huge}.0.0r1`)],
    ['version revision', () => parseVersion(`7.0.10r${huge}`)],
    ['hostinfo', () => parseHostInfo(`Memory size: ${huge} MByte\nMemory available: 1 MByte\nOperating system: Linux\n`)],
    ['hostinfo beyond 2^53', () => parseHostInfo(`Memory size: ${2 ** 53 + 2} MByte\nMemory available: 1 MByte\nOperating system: Linux\n`)],
    ['showvminfo memory', () => parseShowVmInfo(`name="a"\nUUID="7a6fec6f-ace1-4d51-95ea-f3b20eacc5c7"\nVMState="running"\nmemory=${huge}\nGuestMemoryBalloon=0\n`)],
    ['showvminfo balloon', () => parseShowVmInfo(`name="a"\nUUID="7a6fec6f-ace1-4d51-95ea-f3b20eacc5c7"\nVMState="running"\nmemory=1024\nGuestMemoryBalloon=${huge}\n`)],
    ['metrics', () => parseMetricsQuery(`a               Guest/RAM/Usage/Free                     ${huge} kB\n`)],
  ] as const)('%s', (_name, parse) => {
    expect(parse()._unsafeUnwrapErr().code).toBe('PARSE_ERROR');
  });

  it('version: the largest safe numbers still read', () => {
    expect(parseVersion(`7.0.10r${Number.MAX_SAFE_INTEGER}`)._unsafeUnwrap().revision).toBe(Number.MAX_SAFE_INTEGER);
  });
});
