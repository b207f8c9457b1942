// What the autopilot keeps across restarts, per host: for each VM (by UUID) the live balloon it last asked for, the
// balloon it last saw, and the balloon the VM had before the autopilot first changed it (for --on-exit restore). One
// JSON file per host in the private state directory, replaced whole (temp file, fsync, rename). A file that is
// missing, damaged, a symbolic link or someone else's is reported and replaced; it never stops the autopilot.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { AutopilotResumeVm, TickEvent } from '../../index.js';
import { isUuid } from '../../domain/vm-ref.js';
import { checkPrivateDir, errorText, readStateFile, replaceFile } from '../state-dir.js';

/** One VM as the autopilot left it. */
export interface KeptVm {
  readonly name: string;
  readonly askedMb: number;
  readonly seenMb: number | null;
  /** The live balloon before the autopilot's first change to it; `null` while it has changed nothing. */
  readonly beforeMb: number | null;
}

/** The state of one host's autopilot. */
export interface KeptState {
  readonly vms: Readonly<Record<string, KeptVm>>;
}

export const EMPTY_STATE: KeptState = { vms: {} };

/** The state file's name for a host key (`local`, `ssh:…`): a hash, so that no host name becomes a path. */
export const stateFileName = (hostKey: string): string => `autopilot-${createHash('sha256').update(hostKey).digest('hex').slice(0, 16)}.json`;

const isMb = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

// The file as this module wrote it, or what is wrong with it.
function checkState(value: unknown, hostKey: string): KeptState | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it holds no state object';
  const o = value as Record<string, unknown>;
  if (o['version'] !== 1) return 'its "version" is not 1';
  if (o['host'] !== hostKey) return `it is about host ${JSON.stringify(o['host'])}, not ${JSON.stringify(hostKey)}`;
  const vms = o['vms'];
  if (typeof vms !== 'object' || vms === null || Array.isArray(vms)) return 'its "vms" is not a map';
  const out: Record<string, KeptVm> = {};
  for (const [uuid, raw] of Object.entries(vms)) {
    const v = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const name = v['name'];
    if (!isUuid(uuid) || typeof name !== 'string' || !isMb(v['askedMb']) || !(v['seenMb'] === null || isMb(v['seenMb'])) || !(v['beforeMb'] === null || isMb(v['beforeMb']))) {
      return `its entry ${JSON.stringify(uuid)} is not a VM with name, askedMb, seenMb and beforeMb`;
    }
    out[uuid.toLowerCase()] = { name, askedMb: v['askedMb'], seenMb: v['seenMb'], beforeMb: v['beforeMb'] };
  }
  return { vms: out };
}

/** The kept state of a host, and what was wrong with the file when it could not be used (to be logged). */
export function loadState(dir: string, hostKey: string): { readonly state: KeptState; readonly problem: string | null } {
  const file = join(dir, stateFileName(hostKey));
  const read = readStateFile(file);
  if ('problem' in read) return { state: EMPTY_STATE, problem: /ENOENT/u.test(read.problem) ? null : `${read.problem}; starting without it, and it will be replaced` };
  let json: unknown;
  try {
    json = JSON.parse(read.text);
  } catch {
    return { state: EMPTY_STATE, problem: `${file} is damaged (not valid JSON, perhaps cut short); starting without it, and it will be replaced` };
  }
  const state = checkState(json, hostKey);
  return typeof state === 'string' ? { state: EMPTY_STATE, problem: `${file} is damaged (${state}); starting without it, and it will be replaced` } : { state, problem: null };
}

/** The file's text for a state (stable: unchanged state, unchanged text). */
export function stateText(state: KeptState, hostKey: string): string {
  const vms = Object.fromEntries(Object.entries(state.vms).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify({ version: 1, host: hostKey, vms }, null, 2)}\n`;
}

/** Replace the host's state file; `null` when written, else why not. */
export function saveState(dir: string, hostKey: string, state: KeptState): string | null {
  const bad = checkPrivateDir(dir);
  if (bad !== null) return bad.problem;
  try {
    replaceFile(dir, stateFileName(hostKey), stateText(state, hostKey), true);
    return null;
  } catch (e) {
    return `the state cannot be written in ${dir} (${errorText(e)})`;
  }
}

/** What the autopilot loop is told of an earlier run. */
export function resumeOf(state: KeptState): Record<string, AutopilotResumeVm> {
  return Object.fromEntries(Object.entries(state.vms).map(([uuid, v]) => [uuid, v.seenMb === null ? { askedMb: v.askedMb } : { askedMb: v.askedMb, seenMb: v.seenMb }]));
}

/**
 * The state after a tick: each running VM's size asked for (a change made, or one that may have been made when it
 * deflated, counts as asked) and balloon seen. A VM that no longer runs is dropped: its live balloon went with it (the
 * next start takes the VM's default). A tick that read nothing changes nothing.
 */
export function stateAfterTick(state: KeptState, e: TickEvent): KeptState {
  if (e.snapshot === null || e.plan === null) return state;
  const vms: Record<string, KeptVm> = {};
  for (const [i, v] of e.snapshot.vms.entries()) {
    // VMs outside the running list (starting, saving, stuck) are in the snapshot for the memory they hold only.
    if (v.state !== undefined && v.state !== 'running' && v.state !== 'paused') continue;
    const entry = e.plan.entries[i]; // entries follow the snapshot's order
    const asked = v.lastAskedMb ?? v.balloonMb;
    let askedMb = asked;
    let fromMb: number | null = null;
    if (entry !== undefined && e.applied.includes(entry)) {
      askedMb = entry.toMb;
      fromMb = entry.fromMb;
    } else if (entry !== undefined && e.maybeApplied.includes(entry)) {
      if (entry.deltaMb < 0) askedMb = Math.min(asked, entry.toMb);
      fromMb = entry.fromMb;
    }
    vms[v.uuid] = { name: v.name, askedMb, seenMb: v.balloonMb, beforeMb: state.vms[v.uuid]?.beforeMb ?? fromMb };
  }
  return { vms };
}
