import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  maxBalloonMb,
  parseHostInfo,
  parseMetricsQuery,
  parseShowVmInfo,
  parseVersion,
  parseVmList,
  validateBalloonSize,
  VM_STATES,
} from '../src/index.js';

const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-ascii' }), fc.array(fc.constantFrom('"', '\\', '=', '\n', '\r', ' ', '{', '}', 'a', 'kB', ', ', 'Guest/RAM/Usage/Free')).map((a) => a.join('')));

describe('parsers never throw', () => {
  it.each([
    ['parseShowVmInfo', parseShowVmInfo],
    ['parseVmList', parseVmList],
    ['parseMetricsQuery', parseMetricsQuery],
    ['parseHostInfo', parseHostInfo],
    ['parseVersion', parseVersion],
  ] as const)('%s returns a Result for any string', (_name, parse) => {
    fc.assert(
      fc.property(anyText, (text) => {
        const r = parse(text);
        expect(r.isOk() || r.isErr()).toBe(true);
        if (r.isErr()) expect(r.error.code).toBe('PARSE_ERROR');
      }),
      { numRuns: 300 },
    );
  });

  it('classifyFailure returns an error object for any output', () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: -1, max: 255 }), { nil: null }), anyText, anyText, (exitCode, stdout, stderr) => {
        const e = classifyFailure({ exitCode, stdout, stderr });
        expect(typeof e.code).toBe('string');
        expect(e.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('validateBalloonSize', () => {
  it('accepts exactly the integers from 0 to maxBalloonMb(memory)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 << 21 }), fc.integer({ min: -50, max: 50 }), fc.boolean(), (memory, offset, nearTop) => {
        const max = maxBalloonMb(memory);
        const value = nearTop ? max + offset : offset;
        const r = validateBalloonSize(value, memory);
        expect(r.isOk()).toBe(value >= 0 && value <= max);
        if (r.isOk()) expect(r.value).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses every non-integer number', () => {
    fc.assert(
      fc.property(
        fc.double().filter((d) => !Number.isInteger(d)),
        (d) => {
          expect(validateBalloonSize(d, 1 << 20).isErr()).toBe(true);
        },
      ),
    );
  });
});

// VBoxManage's own escaping (outputMachineReadableString): a backslash before each `"` and `\`; newlines raw.
const esc = (s: string) => s.replace(/["\\]/gu, '\\$&');

describe('showvminfo round trip', () => {
  it('a VM rendered with VBoxManage escaping parses back to the same values', () => {
    const name = fc.string({ unit: 'grapheme', minLength: 1 }).filter((s) => !s.includes('\0'));
    fc.assert(
      fc.property(
        name,
        fc.uuid(),
        fc.constantFrom(...VM_STATES.filter((s) => s !== 'unknown')),
        fc.integer({ min: 4, max: 2_097_152 }),
        fc.nat(),
        fc.option(fc.boolean(), { nil: null }),
        fc.option(fc.constantFrom<0 | 1 | 2 | 3>(0, 1, 2, 3), { nil: null }),
        fc.string({ unit: 'grapheme' }),
        fc.boolean(),
        (vmName, uuid, state, memory, balloon, largePages, runLevel, description, crlf) => {
          const lines = [
            `name="${esc(vmName)}"`,
            'Encryption:     disabled',
            `UUID="${uuid}"`,
            `memory=${memory}`,
            ...(largePages === null ? [] : [`largepages="${largePages ? 'on' : 'off'}"`]),
            `VMState="${state}"`,
            ' rec_screen0',
            `description="${esc(description)}"`,
            `GuestMemoryBalloon=${balloon}`,
            ...(runLevel === null ? [] : [`GuestAdditionsRunLevel=${runLevel}`]),
          ];
          const text = lines.join(crlf ? '\r\n' : '\n') + '\n';
          const vm = parseShowVmInfo(text)._unsafeUnwrap();
          expect(vm.name).toBe(vmName.replace(/\r\n?/gu, '\n')); // VBoxManage output lines are CRLF-normalised
          expect(vm.uuid).toBe(uuid.toLowerCase());
          expect(vm.state).toBe(state);
          expect(vm.memoryMb).toBe(memory);
          expect(vm.balloonMb).toBe(balloon);
          expect(vm.largePages).toBe(largePages);
          expect(vm.guestAdditions.runLevel).toBe(runLevel);
          expect(vm.raw.get('description')).toBe(description.replace(/\r\n?/gu, '\n'));
        },
      ),
      { numRuns: 500 },
    );
  });
});
