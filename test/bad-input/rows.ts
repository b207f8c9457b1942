// The bad-input table: every public entry point of the controller and the clients, with every kind of bad value.
// Each row is input that is bad on its face: it must give the expected code, never throw, and run no VBoxManage.
import type { Result, ResultAsync } from 'neverthrow';
import { BalloonController, type BalloonError, type VBoxManageClient } from '../../src/index.js';
import { badCallOptions, badDryRuns, badPageFusions, badSizes, badVmRefs, badWaits, throwingObject } from './values.js';

export interface Row {
  readonly label: string;
  readonly code: BalloonError['code'];
  readonly call: (vbox: BalloonController, client: VBoxManageClient) => ResultAsync<unknown, BalloonError> | Result<unknown, BalloonError>;
}

const show = (v: unknown): string => {
  if (typeof v === 'symbol' || typeof v === 'bigint' || typeof v === 'function') return String(v).slice(0, 30);
  try {
    return (JSON.stringify(v) as string | undefined ?? String(v)).slice(0, 60);
  } catch {
    return 'a proxy';
  }
};

type Vbox = Record<string, (...args: unknown[]) => ResultAsync<unknown, BalloonError> | Result<unknown, BalloonError>>;
type Port = Record<string, (...args: unknown[]) => ResultAsync<unknown, BalloonError>>;
// A method looked up by name, called with whatever the row passes (the types would refuse most of it).
const call =
  (vbox: BalloonController, name: string) =>
  (...args: unknown[]): ResultAsync<unknown, BalloonError> | Result<unknown, BalloonError> =>
    ((vbox as unknown as Vbox)[name] as Vbox[string]).apply(vbox, args);
const port =
  (client: VBoxManageClient, name: string) =>
  (...args: unknown[]): ResultAsync<unknown, BalloonError> =>
    ((client as unknown as Port)[name] as Port[string]).apply(client, args);

export function rows(): Row[] {
  const out: Row[] = [];
  const add = (label: string, code: BalloonError['code'], call: Row['call']): void => {
    out.push({ label, code, call });
  };
  // VM references, for every method that takes one.
  for (const v of badVmRefs) {
    add(`inspect(${show(v)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'inspect')(v));
    add(`setBalloon(${show(v)}, 512)`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'setBalloon')(v, 512));
    add(`setDefaultBalloon(${show(v)}, 512)`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'setDefaultBalloon')(v, 512));
    add(`prepare(${show(v)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'prepare')(v));
    add(`disableLargePages(${show(v)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'disableLargePages')(v));
    if (v !== undefined) add(`restore(${show(v)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'restore')(v));
    add(`reclaim({ from: [${show(v)}] })`, 'INVALID_ARGUMENT', (vbox) => vbox.reclaim({ megabytes: 10, from: [v] } as never));
    add(`client.showVmInfo(${show(v)})`, 'INVALID_ARGUMENT', (_, client) => port(client, 'showVmInfo')(v));
    add(`client.setLiveBalloon(${show(v)}, 1)`, 'INVALID_ARGUMENT', (_, client) => port(client, 'setLiveBalloon')(v, 1));
    add(`client.modifyVm(${show(v)}, …)`, 'INVALID_ARGUMENT', (_, client) => port(client, 'modifyVm')(v, { largePages: false }));
    add(`client.guestMemory([${show(v)}])`, 'INVALID_ARGUMENT', (_, client) => port(client, 'guestMemory')([v]));
  }
  // Sizes.
  for (const s of badSizes) {
    add(`setBalloon('web-1', ${show(s)})`, 'INVALID_BALLOON_SIZE', (vbox) => call(vbox, 'setBalloon')('web-1', s));
    add(`setDefaultBalloon('db-1', ${show(s)})`, 'INVALID_BALLOON_SIZE', (vbox) => call(vbox, 'setDefaultBalloon')('db-1', s));
    add(`prepare('db-1', { defaultBalloonMb: ${show(s)} })`, s === undefined ? 'INVALID_ARGUMENT' : 'INVALID_BALLOON_SIZE', (vbox) =>
      s === undefined ? call(vbox, 'prepare')('db-1', { defaultBalloonMb: 1, extra: s }) : call(vbox, 'prepare')('db-1', { defaultBalloonMb: s }),
    );
    add(`client.setLiveBalloon('web-1', ${show(s)})`, 'INVALID_BALLOON_SIZE', (_, client) => port(client, 'setLiveBalloon')('web-1', s));
    add(`client.setDefaultBalloon('db-1', ${show(s)})`, s === undefined ? 'INVALID_ARGUMENT' : 'INVALID_BALLOON_SIZE', (_, client) => port(client, 'setDefaultBalloon')('db-1', s));
    if (s !== undefined) add(`reclaim({ megabytes: ${show(s)} })`, 'INVALID_ARGUMENT', (vbox) => vbox.reclaim({ megabytes: s } as never));
    if (s !== undefined) add(`reclaim({ keepGuestFreeMb: ${show(s)} })`, 'INVALID_ARGUMENT', (vbox) => vbox.reclaim({ megabytes: 10, keepGuestFreeMb: s } as never));
  }
  // Call options, for every method that takes them.
  for (const o of badCallOptions) {
    add(`hostSupport(${show(o)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'hostSupport')(o));
    add(`inspect('web-1', ${show(o)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'inspect')('web-1', o));
    add(`inspectAll(${show(o)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'inspectAll')(o));
    add(`setBalloon('web-1', 512, ${show(o)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'setBalloon')('web-1', 512, o));
    add(`restore(undefined, ${show(o)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'restore')(undefined, o));
    if (typeof o === 'object' && o !== null && !Array.isArray(o) && o !== throwingObject && !('bogus' in o) && !('Signal' in o)) {
      add(`client.listVms(${show(o)})`, 'INVALID_ARGUMENT', (_, client) => port(client, 'listVms')(o));
      add(`client.guestMemory(['web-1'], ${show(o)})`, 'INVALID_ARGUMENT', (_, client) => port(client, 'guestMemory')(['web-1'], o));
    }
  }
  // Switches that guard a change.
  for (const o of badDryRuns) {
    add(`setBalloon('web-1', 512, ${show(o)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'setBalloon')('web-1', 512, o));
    add(`setDefaultBalloon('db-1', 512, ${show(o)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'setDefaultBalloon')('db-1', 512, o));
    add(`prepare('db-1', ${show(o)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'prepare')('db-1', o));
    add(`reclaim({ megabytes: 10, ...${show(o)} })`, 'INVALID_ARGUMENT', (vbox) => vbox.reclaim({ megabytes: 10, ...(o as object) }));
  }
  for (const v of badPageFusions) {
    add(`prepare('db-1', { pageFusion: ${show(v)} })`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'prepare')('db-1', { pageFusion: v }));
    add(`client.modifyVm('db-1', { pageFusion: ${show(v)} })`, 'INVALID_ARGUMENT', (_, client) => port(client, 'modifyVm')('db-1', { pageFusion: v }));
  }
  add("prepare('db-1', { pagefusion: true })", 'INVALID_ARGUMENT', (vbox) => call(vbox, 'prepare')('db-1', { pagefusion: true }));
  add("client.modifyVm('db-1', { pagefusion: true })", 'INVALID_ARGUMENT', (_, client) => port(client, 'modifyVm')('db-1', { pagefusion: true }));
  for (const o of badWaits) add(`setBalloon('web-1', 512, ${show(o)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'setBalloon')('web-1', 512, o));
  // reclaim's own shape.
  for (const o of [undefined, null, {}, 1024, '1024', [], { megabytes: 10, from: 'web-1' }, { megabytes: 10, from: [] }, { megabytes: 10, from: null }, throwingObject]) {
    add(`reclaim(${show(o)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'reclaim')(o));
  }
  // modifyVm settings at the client.
  for (const s of [null, undefined, {}, { largePages: 'off' }, { largePages: 0 }, { defaultBalloonMb: 1, bogus: 1 }, 'largepages off']) {
    add(`client.modifyVm('db-1', ${show(s)})`, 'INVALID_ARGUMENT', (_, client) => port(client, 'modifyVm')('db-1', s));
  }
  // Making room: VMs, sizes, switches, options and the give-back record.
  for (const v of badVmRefs) {
    add(`planStart(${show(v)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'planStart')(v));
    add(`startWithRoom(${show(v)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'startWithRoom')(v));
    add(`startWithRoom('db-1', { from: [${show(v)}] })`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'startWithRoom')('db-1', { from: [v] }));
    if (typeof v !== 'object' || v === null) add(`giveBack(${show(v)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'giveBack')(v));
    add(`client.startVm(${show(v)})`, 'INVALID_ARGUMENT', (_, client) => port(client, 'startVm')(v));
  }
  for (const s of badSizes) {
    if (s === undefined) continue;
    for (const key of ['budgetMb', 'overheadMb', 'keepGuestFreeMb']) {
      add(`startWithRoom('db-1', { ${key}: ${show(s)} })`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'startWithRoom')('db-1', { [key]: s }));
      add(`planStart('db-1', { ${key}: ${show(s)} })`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'planStart')('db-1', { [key]: s }));
    }
  }
  // The reserve a giving guest keeps, as a share of its RAM (issue 23): 0 to 100.
  for (const p of [-1, 101, Number.NaN, '10', null, Number.POSITIVE_INFINITY, 2 ** 31]) {
    add(`reclaim({ keepGuestFreePercent: ${show(p)} })`, 'INVALID_ARGUMENT', (vbox) => vbox.reclaim({ megabytes: 10, keepGuestFreePercent: p } as never));
    add(`planStart('db-1', { keepGuestFreePercent: ${show(p)} })`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'planStart')('db-1', { keepGuestFreePercent: p }));
    add(`startWithRoom('db-1', { keepGuestFreePercent: ${show(p)} })`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'startWithRoom')('db-1', { keepGuestFreePercent: p }));
  }
  for (const p of [0, -1, 101, Number.NaN, '80', null, Number.POSITIVE_INFINITY]) {
    add(`startWithRoom('db-1', { budgetPercent: ${show(p)} })`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'startWithRoom')('db-1', { budgetPercent: p }));
  }
  for (const o of badDryRuns) {
    add(`startWithRoom('db-1', ${show(o)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'startWithRoom')('db-1', o));
    add(`giveBack(record, ${show(o)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'giveBack')({ vm: 'db-1', uuid: '00000000-0000-4000-8000-000000000004', taken: [] }, o));
  }
  for (const f of [{ force: 'yes' }, { force: 1 }, { force: null }, { Force: true }]) {
    add(`giveBack(record, ${show(f)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'giveBack')({ vm: 'db-1', uuid: '00000000-0000-4000-8000-000000000004', taken: [] }, f));
  }
  for (const o of badCallOptions) {
    add(`planStart('db-1', ${show(o)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'planStart')('db-1', o));
    add(`startWithRoom('db-1', ${show(o)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'startWithRoom')('db-1', o));
  }
  for (const o of [{ type: 'window' }, { type: 1 }, { type: null }, { waitTimeoutMs: 2 ** 31 }, { waitTimeoutMs: -1 }, { pollMs: 1 }, { startTimeoutMs: 0 }, { startTimeoutMs: Number.NaN }, { from: 'web-1' }, { from: [''] }]) {
    add(`startWithRoom('db-1', ${show(o)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'startWithRoom')('db-1', o));
  }
  for (const o of [{ type: 'window' }, { type: 1 }, { type: null }]) add(`client.startVm('db-1', ${show(o)})`, 'INVALID_ARGUMENT', (_, client) => port(client, 'startVm')('db-1', o));
  const uuid = '00000000-0000-4000-8000-000000000004';
  for (const r of [
    {},
    [],
    { vm: 'db-1', taken: [] },
    { vm: 'db-1', uuid: 'db-1', taken: [] },
    { vm: 'db-1', uuid, taken: null },
    { vm: 'db-1', uuid, taken: [{ vm: 'web-1', uuid, fromMb: -1, toMb: 10 }] },
    { vm: 'db-1', uuid, taken: [{ vm: 'web-1', uuid, fromMb: 0, toMb: '10' }] },
    { vm: '', uuid, taken: [] },
    { room: { vm: 'db-1', uuid, taken: 'all' } },
    throwingObject,
  ]) {
    add(`giveBack(${show(r)})`, 'INVALID_ARGUMENT', (vbox) => call(vbox, 'giveBack')(r));
  }
  // Cloning and unregistering at the client: the base, the snapshot, the new name, the options, the delete switch.
  const clone = { snapshot: 'base', name: 'ci-7' };
  for (const v of badVmRefs) {
    add(`client.cloneVm(${show(v)}, …)`, 'INVALID_ARGUMENT', (_, client) => port(client, 'cloneVm')(v, clone));
    add(`client.cloneVm('db-1', { snapshot: ${show(v)} })`, 'INVALID_ARGUMENT', (_, client) => port(client, 'cloneVm')('db-1', { ...clone, snapshot: v }));
    add(`client.cloneVm('db-1', { name: ${show(v)} })`, 'INVALID_ARGUMENT', (_, client) => port(client, 'cloneVm')('db-1', { ...clone, name: v }));
    add(`client.unregisterVm(${show(v)})`, 'INVALID_ARGUMENT', (_, client) => port(client, 'unregisterVm')(v, { delete: true }));
  }
  for (const name of ['11111111-2222-3333-4444-555555555555', '{11111111-2222-3333-4444-555555555555}', 'x'.repeat(201)]) {
    add(`client.cloneVm('db-1', { name: ${show(name)} })`, 'INVALID_ARGUMENT', (_, client) => port(client, 'cloneVm')('db-1', { ...clone, name }));
  }
  for (const o of [undefined, null, 'base', [], {}, { snapshot: 'base' }, { name: 'ci-7' }, throwingObject]) {
    add(`client.cloneVm('db-1', ${show(o)})`, 'INVALID_ARGUMENT', (_, client) => port(client, 'cloneVm')('db-1', o));
  }
  for (const d of ['yes', 1, null, 'true', throwingObject]) {
    add(`client.unregisterVm('db-1', { delete: ${show(d)} })`, 'INVALID_ARGUMENT', (_, client) => port(client, 'unregisterVm')('db-1', d === throwingObject ? d : { delete: d }));
  }
  for (const v of ['web-1', null, 5, { length: 1 }]) add(`client.guestMemory(${show(v)})`, 'INVALID_ARGUMENT', (_, client) => port(client, 'guestMemory')(v));
  return out;
}

/** Options a controller is built with that cannot work: every call of such a controller is INVALID_ARGUMENT. */
export const badControllerOptions = (client: VBoxManageClient): unknown[] => [
  undefined,
  null,
  {},
  { client: null },
  { client: {} },
  { client: { listVms: () => null } },
  { client, onEvent: 'console.log' },
  { client, onevent: () => undefined },
  throwingObject,
];
