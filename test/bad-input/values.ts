// Values a hurried or hostile JavaScript caller passes where a good one belongs.

/** An object whose every property read throws. */
export const throwingObject: unknown = new Proxy(
  {},
  {
    get() {
      throw new Error('getter bomb');
    },
    ownKeys() {
      throw new Error('keys bomb');
    },
  },
);

/** Not a string VM reference, or a string VBoxManage would misread: refused before any call. */
export const badVmRefs: readonly unknown[] = [
  undefined,
  null,
  Number.NaN,
  42,
  -0,
  true,
  {},
  [],
  ['web-1'],
  () => 'web-1',
  Symbol('web-1'),
  10n,
  '',
  '-rf',
  '--help',
  'a\nb',
  'a\rb',
  'nul\0byte',
  new String('web-1'),
];

/** Not a whole number of MB from 0 (and that fits 32 bits). */
export const badSizes: readonly unknown[] = [
  undefined,
  null,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1.5,
  -1,
  2 ** 53,
  2 ** 32,
  '512',
  '0x10',
  '',
  true,
  {},
  [512],
  10n,
];

/** Option objects that must be refused for every method that takes options. */
export const badCallOptions: readonly unknown[] = [
  null,
  'options',
  7,
  true,
  [],
  { signal: {} },
  { signal: 'abort' },
  { signal: null },
  { timeoutMs: Number.NaN },
  { timeoutMs: 0 },
  { timeoutMs: -1 },
  { timeoutMs: 2 ** 31 },
  { timeoutMs: Number.POSITIVE_INFINITY },
  { timeoutMs: '1000' },
  { timeoutMs: 1.5 },
  { bogus: 1 },
  { Signal: new AbortController().signal },
  throwingObject,
];

/** Options with a switch that guards a change: only `true`/`false` are read. */
export const badDryRuns: readonly unknown[] = [{ dryRun: 'yes' }, { dryRun: 1 }, { dryRun: 'no' }, { dryRun: 0 }, { dryRun: null }, { dryRun: 'false' }, { dryrun: true }, { dry_run: true }];

/** Values of a `pageFusion` switch (it guards a change): only `true`/`false` are read. */
export const badPageFusions: readonly unknown[] = ['yes', 1, null, Number.NaN, 'on', 0, 'false'];

/** Bad `wait` options of setBalloon. */
export const badWaits: readonly unknown[] = [
  { wait: null },
  { wait: true },
  { wait: 30_000 },
  { wait: { timeoutMs: Number.NaN } },
  { wait: { timeoutMs: -5 } },
  { wait: { timeoutMs: 2 ** 31 } },
  { wait: { timeoutMs: Number.POSITIVE_INFINITY } },
  { wait: { pollMs: 0 } },
  { wait: { pollMs: Number.NaN } },
  { wait: { pollMs: 2 ** 31 } },
  { wait: { toleranceMb: -1 } },
  { wait: { toleranceMb: 0.5 } },
  { wait: { onProgress: 'log' } },
  { wait: { timeout: 1000 } },
  { allowLargePages: 'true' },
  { allowLargePages: 1 },
];
