// From one autopilot TickEvent to the metrics. Per-VM maps are keyed by UUID; the `vm` label is the VM's name.
import { maxBalloonMb } from '../domain/balloon-size.js';
import type { TickEvent } from '../events/index.js';
import { amount, mbToBytes, type HostSeries } from './series.js';

/** What the metrics of one host remember between events. @internal */
export interface HostState {
  readonly host: string;
  readonly series: HostSeries;
  /** The VMs of the last snapshot: UUID to name and `vm` label. */
  readonly vms: Map<string, { readonly name: string; readonly label: string }>;
  /** Live changes seen through `onEvent` since the last tick (`uuid\ntoMb`), so a tick does not count them again. */
  readonly pending: Set<string>;
  ticks: number;
  lastTickAt: number | null;
  lastTickSucceeded: boolean | null;
}

/** The per-VM gauges, removed together when a VM goes away. */
export const PER_VM_METRICS = [
  'vbox_balloon_vm_memory_bytes',
  'vbox_balloon_vm_balloon_bytes',
  'vbox_balloon_vm_balloon_target_bytes',
  'vbox_balloon_vm_balloon_max_bytes',
  'vbox_balloon_vm_guest_free_bytes',
  'vbox_balloon_vm_guest_total_bytes',
] as const;

type Rec = Readonly<Record<string, unknown>>;
const isRec = (x: unknown): x is Rec => typeof x === 'object' && x !== null;
const list = (x: unknown): readonly unknown[] => (Array.isArray(x) ? (x as unknown[]) : []);

/** An error code as a label value: codes are SCREAMING_SNAKE literals; anything else is `UNKNOWN`. @internal */
export function codeLabel(error: unknown): string {
  const code = isRec(error) ? error['code'] : undefined;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/u.test(code) ? code : 'UNKNOWN';
}

/** `vm` labels for a snapshot: the name, or `name (uuid)` when names repeat, or the UUID for an empty name. */
function labelsFor(vms: readonly { uuid: string; name: string }[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const v of vms) count.set(v.name, (count.get(v.name) ?? 0) + 1);
  return new Map(vms.map((v) => [v.uuid, v.name === '' ? v.uuid : (count.get(v.name) ?? 0) > 1 ? `${v.name} (${v.uuid})` : v.name]));
}

/** Remove every per-VM series of one `vm` label. @internal */
export function removeVm(state: HostState, label: string): void {
  for (const name of PER_VM_METRICS) state.series.remove(name, { host: state.host, vm: label });
}

// The most the VM's balloon may take, as far as the event shows: VirtualBox's limit, capped by the VM's limits.
function maxTakeMb(vm: Rec, policy: unknown): number | null {
  const memoryMb = amount(vm['memoryMb']);
  if (memoryMb === null) return null;
  const limits = isRec(vm['limits']) ? vm['limits'] : {};
  if (limits['enabled'] === false) return 0;
  const cap = policy === 'balloonctrl' ? amount(vm['requestedMb']) : (amount(limits['maxBalloonMb']) ?? Number.POSITIVE_INFINITY);
  return Math.max(0, Math.min(maxBalloonMb(memoryMb), cap ?? 0));
}

function recordSnapshot(state: TickState, snapshot: Rec, plan: Rec | null): void {
  const { series, host } = state.s;
  const h = { host };
  const vms = list(snapshot['vms']).filter((v): v is Rec => isRec(v) && typeof v['uuid'] === 'string' && v['uuid'] !== '');
  const named = vms.map((v) => ({ uuid: v['uuid'] as string, name: typeof v['name'] === 'string' ? v['name'] : '' }));
  const labels = labelsFor(named);

  // A VM that went away, or whose label changed, loses its series first (its old label may now be another VM's).
  for (const [uuid, known] of [...state.s.vms]) {
    if (labels.get(uuid) === known.label) continue;
    removeVm(state.s, known.label);
    state.s.vms.delete(uuid);
  }
  const hostInfo = isRec(snapshot['host']) ? snapshot['host'] : {};
  series.set('vbox_balloon_host_memory_bytes', h, mbToBytes(hostInfo['totalMb']));
  series.set('vbox_balloon_running_vms', h, vms.length);
  const entries = list(plan?.['entries']);
  for (const [i, vm] of vms.entries()) {
    const { uuid, name } = named[i] ?? { uuid: '', name: '' };
    const label = labels.get(uuid) ?? uuid;
    state.s.vms.set(uuid, { name, label });
    const l = { host, vm: label };
    series.set('vbox_balloon_vm_memory_bytes', l, mbToBytes(vm['memoryMb']));
    series.set('vbox_balloon_vm_balloon_bytes', l, mbToBytes(vm['balloonMb']));
    series.set('vbox_balloon_vm_guest_free_bytes', l, mbToBytes(vm['guestFreeMb']));
    series.set('vbox_balloon_vm_guest_total_bytes', l, mbToBytes(vm['guestTotalMb']));
    series.set('vbox_balloon_vm_balloon_max_bytes', l, mbToBytes(maxTakeMb(vm, plan?.['policy'])));
    // Plan entries follow the snapshot's order (the autopilot's contract); only a matching name is trusted.
    const entry = entries[i];
    if (isRec(entry) && entry['vm'] === name) {
      series.set('vbox_balloon_vm_balloon_target_bytes', l, mbToBytes(entry['toMb']));
      state.uuidOfEntry.set(entry, uuid);
    }
  }
  // Backing, budget and headroom are the host-memory ledger's, as the plan carries them (both policies).
  const memory = isRec(plan?.['memory']) ? plan['memory'] : null;
  series.set('vbox_balloon_guest_backing_bytes', h, memory === null ? null : mbToBytes(memory['backingMb']));
  series.set('vbox_balloon_budget_bytes', h, memory === null ? null : mbToBytes(memory['budgetMb']));
  series.set('vbox_balloon_headroom_bytes', h, memory === null ? null : mbToBytes(memory['headroomMb']));
}

interface TickState {
  readonly s: HostState;
  readonly uuidOfEntry: Map<unknown, string>;
}

/** Record one tick. Never throws: the event comes from the autopilot's loop, which must go on. @internal */
export function recordTick(s: HostState, event: TickEvent, now: number): void {
  const e: unknown = event;
  if (!isRec(e)) return;
  const { series, host } = s;
  const h = { host };
  const errors = list(e['errors']).filter(isRec);
  const snapshot = isRec(e['snapshot']) ? e['snapshot'] : null;
  const plan = isRec(e['plan']) ? e['plan'] : null;
  const state: TickState = { s, uuidOfEntry: new Map() };

  s.ticks++;
  s.lastTickAt = now;
  s.lastTickSucceeded = errors.length === 0 && snapshot !== null && plan !== null;
  series.inc('vbox_balloon_ticks_total', h);
  series.set('vbox_balloon_last_tick_success', h, s.lastTickSucceeded ? 1 : 0);
  const time = amount(e['time']);
  series.set('vbox_balloon_last_tick_timestamp_seconds', h, time === null ? null : time / 1000);
  if (snapshot !== null) recordSnapshot(state, snapshot, plan);
  const pushed = list(e['pushedBack']).length;
  if (pushed > 0) series.inc('vbox_balloon_guest_pushbacks_total', h, pushed);
  if (snapshot !== null) series.set('vbox_balloon_guests_cooling_down', h, list(e['coolingDown']).length);

  // Changes made: once each, even if the controller also reported them through onEvent during the tick.
  const moved = (x: Rec): boolean => amount(x['fromMb']) !== null && amount(x['toMb']) !== null && x['fromMb'] !== x['toMb'];
  const applied = list(e['applied']).filter((x): x is Rec => isRec(x) && moved(x));
  const unapplied = new Map<unknown, number>();
  for (const entry of list(plan?.['entries'])) if (isRec(entry) && moved(entry)) unapplied.set(entry['vm'], (unapplied.get(entry['vm']) ?? 0) + 1);
  for (const entry of applied) {
    unapplied.set(entry['vm'], (unapplied.get(entry['vm']) ?? 0) - 1);
    const to = entry['toMb'] as number;
    const uuid = state.uuidOfEntry.get(entry) ?? uuidByName(s, entry['vm']);
    if (uuid !== undefined && s.pending.delete(`${uuid}\n${to}`)) continue;
    series.inc('vbox_balloon_changes_total', { host, kind: 'live', direction: to > (entry['fromMb'] as number) ? 'inflate' : 'deflate' });
  }
  s.pending.clear();

  // Failures: of the whole tick (vm null), of a planned change (a moving entry that was not applied), or other.
  for (const failure of errors) {
    const code = codeLabel(failure['error']);
    const vm = failure['vm'];
    const left = unapplied.get(vm) ?? 0;
    if (vm === null || vm === undefined) series.inc('vbox_balloon_tick_failures_total', { host, code });
    else if (left > 0) {
      unapplied.set(vm, left - 1);
      series.inc('vbox_balloon_change_failures_total', { host, code });
    } else series.inc('vbox_balloon_vm_errors_total', { host, code });
  }
}

/** The UUID of the one known VM with this UUID or name; `undefined` when there is none or the name repeats. @internal */
export function uuidByName(s: HostState, ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  if (s.vms.has(ref)) return ref;
  let found: string | undefined;
  for (const [uuid, v] of s.vms) {
    if (v.name !== ref) continue;
    if (found !== undefined) return undefined;
    found = uuid;
  }
  return found;
}
