import { describe, expect, it } from 'vitest';
import { BALLOON_ERROR_CODES, classifyFailure, isBalloonError, validateBalloonSize, validateVmRef } from '../src/index.js';

describe('isBalloonError', () => {
  it('accepts SDK errors and refuses look-alikes', () => {
    expect(isBalloonError(validateVmRef('')._unsafeUnwrapErr())).toBe(true);
    expect(isBalloonError(validateBalloonSize(-1, 10)._unsafeUnwrapErr())).toBe(true);
    expect(isBalloonError({ code: 'NOPE', message: 'x' })).toBe(false);
    expect(isBalloonError({ code: 'TIMEOUT' })).toBe(false);
    expect(isBalloonError(new Error('x'))).toBe(false);
    expect(isBalloonError(null)).toBe(false);
    expect(isBalloonError('TIMEOUT')).toBe(false);
  });

  it('lists 23 distinct codes', () => {
    expect(new Set(BALLOON_ERROR_CODES).size).toBe(23);
  });
});

describe('error objects', () => {
  it('are frozen, with frozen copies of lists', () => {
    const argv = ['controlvm', 'x'];
    const e = classifyFailure({ exitCode: 1, stdout: '', stderr: 'VBoxManage: error: boom\n', argv });
    expect(Object.isFrozen(e)).toBe(true);
    if (e.code !== 'VBOXMANAGE_FAILED') throw new Error(`unexpected ${e.code}`);
    expect(Object.isFrozen(e.argv)).toBe(true);
    expect(Object.isFrozen(argv)).toBe(false);
  });

  it('show hostile names JSON-escaped in messages', () => {
    const e = validateBalloonSize(-1, 10, 'a\n"b')._unsafeUnwrapErr();
    expect(e.message).toContain('VM "a\\n\\"b"');
  });
});

describe('outcomeOf', () => {
  it('is unknown only for a change cut short or answered in doubt', async () => {
    const { outcomeOf, InMemoryVBoxManageClient } = await import('../src/index.js');
    const sim = new InMemoryVBoxManageClient({ vms: [{ name: 'a', state: 'running' }] });
    sim.failNext('setLiveBalloon', 'timeout').failNext('listVms', 'timeout').failNext('setLiveBalloon', 'locked');
    expect(outcomeOf((await sim.setLiveBalloon('a', 1))._unsafeUnwrapErr())).toBe('unknown');
    expect(outcomeOf((await sim.listVms())._unsafeUnwrapErr())).toBe('not-applied');
    expect(outcomeOf((await sim.setLiveBalloon('a', 1))._unsafeUnwrapErr())).toBe('not-applied');
  });
});
