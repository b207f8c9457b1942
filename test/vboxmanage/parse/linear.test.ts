// Parsers stay linear on hostile input. The real figures are in `npm run bench` (docs/benchmarks.md); this test only
// asserts a bound generous enough for a loaded 2-core machine, and that nothing throws.
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
  ['classifyFailure', (t: string) => classifyFailure({ exitCode: 1, stdout: '', stderr: t, argv: ['modifyvm', 'x'], vm: 'x' })],
] as const;

describe('parsers are linear on hostile input', () => {
  it.each(PARSERS)('%s: 1 MB of every worst case well under 2 s', (_name, parse) => {
    for (const input of HOSTILE_INPUTS) {
      const text = input.make(1 << 20);
      const t = performance.now();
      parse(text);
      // 100 ms is the goal (see the benchmark); 2 s only catches a quadratic parser (which takes minutes).
      expect(performance.now() - t, input.name).toBeLessThan(2000);
    }
  });

  it.each(PARSERS)('%s: eight times the input takes about eight times as long, not 64 (no quadratic growth)', (_name, parse) => {
    for (const input of HOSTILE_INPUTS) {
      const time = (size: number): number => {
        const text = input.make(size);
        let best = Number.POSITIVE_INFINITY;
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          parse(text);
          best = Math.min(best, performance.now() - t);
        }
        return best;
      };
      const small = time(128 * 1024);
      const large = time(1024 * 1024);
      // Eight times the input: linear gives about 8x, quadratic 64x. The wide gap leaves room for a loaded machine's
      // noise (GC, other processes), plus a floor for sub-millisecond timings.
      expect(large, input.name).toBeLessThan(Math.max(28 * small, 400));
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
