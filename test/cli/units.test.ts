import { describe, expect, it } from 'vitest';
import { formatDuration, parseCount, parseDuration, parseSize } from '../../src/cli/units.js';

describe('sizes', () => {
  it.each([
    ['512', 512],
    ['512M', 512],
    ['512mb', 512],
    ['2G', 2048],
    ['1.5G', 1536],
    ['0', 0],
    ['1T', 1024 * 1024],
  ])('%s is %i MB', (text, mb) => {
    expect(parseSize(text, false)).toEqual({ kind: 'mb', mb });
  });

  it('a percentage only where allowed, at most 100%', () => {
    expect(parseSize('25%', true)).toEqual({ kind: 'percent', percent: 25 });
    expect(parseSize('25%', false)).toMatchObject({ problem: expect.stringContaining('percentage') as unknown });
    expect(parseSize('101%', true)).toMatchObject({ problem: 'is more than 100%' });
  });

  it.each(['', '-1', 'lots', '0.3G', '1e3', 'NaN', 'Infinity', '512K', '12 34', '9'.repeat(40), '0x10'])('refuses %j', (text) => {
    expect(parseSize(text, true)).toHaveProperty('problem');
  });
});

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
  ])('%s is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['30', '0s', '-1s', 's', '1x', '1s2', '25d', '597h', '1s'.repeat(40)])('refuses %j', (text) => {
    expect(parseDuration(text)).toHaveProperty('problem');
  });

  it('a number without a unit suggests one', () => {
    expect(parseDuration('30')).toEqual({ problem: 'has no unit', example: '30s' });
  });

  it('counts and formatting', () => {
    expect(parseCount('3')).toBe(3);
    expect(parseCount('0')).toHaveProperty('problem');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(3200)).toBe('3.2 s');
    expect(formatDuration(125_000)).toBe('2 m 5 s');
  });
});
