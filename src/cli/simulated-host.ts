// The simulated host behind --simulate remembers: its world is a file in the private state directory
// (simulated/host.json), loaded by every --simulate run and saved when it ends, with simulated time moving on by the
// wall time between runs (capped). Records of simulated starts live beside it, apart from the real host's.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InMemoryVBoxManageClient, type InMemoryVBoxManageClientOptions } from '../index.js';
import { demoFleet } from './demo-fleet.js';
import { checkPrivateDir, errorText, readStateFile, replaceFile, type StateProblem } from './state-dir.js';

/** The folder of the simulated host inside the state directory: its world and its room records. */
export const SIMULATED_DIR = 'simulated';
const FILE = 'host.json';
/** Simulated time moves on by the wall time since the last run, at most this much (balloons settle well within it). */
export const MAX_CATCH_UP_MS = 10 * 60_000;

/** Where the simulated host's state goes in `stateDir`. */
export function simulatedDir(stateDir: string): string {
  return join(stateDir, SIMULATED_DIR);
}

/** The simulated host, loaded; `note` says when it started over (no file yet) or why a damaged file was set aside. */
export interface LoadedHost {
  readonly client: InMemoryVBoxManageClient;
  readonly file: string;
  readonly fresh: boolean;
  readonly problem: string | null;
}

interface Saved {
  readonly savedAt: number;
  readonly world: InMemoryVBoxManageClientOptions;
}

// The file as this CLI writes it, or what is wrong with it.
function check(value: unknown): Saved | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it holds no object';
  const { savedAt, world } = value as Record<string, unknown>;
  if (typeof savedAt !== 'number' || !Number.isFinite(savedAt)) return 'its "savedAt" is not a time';
  if (typeof world !== 'object' || world === null || !Array.isArray((world as { vms?: unknown }).vms)) return 'its "world" has no VM list';
  for (const v of (world as { vms: unknown[] }).vms) {
    if (typeof v !== 'object' || v === null || typeof (v as { name?: unknown }).name !== 'string') return 'a VM in it has no name';
  }
  return { savedAt, world: world };
}

/** Load the simulated host from `stateDir` (the demo fleet when there is none yet), moved on to `nowMs`. */
export function loadSimulatedHost(stateDir: string, nowMs: number = Date.now()): LoadedHost | StateProblem {
  const dir = simulatedDir(stateDir);
  const bad = checkPrivateDir(dir);
  if (bad !== null) return bad;
  const file = join(dir, FILE);
  const read = readStateFile(file);
  if ('problem' in read) {
    if (read.problem.includes('ENOENT')) return { client: demoFleet(), file, fresh: true, problem: null };
    return read;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch {
    parsed = undefined;
  }
  const saved = parsed === undefined ? 'it is not valid JSON' : check(parsed);
  if (typeof saved === 'string') return { client: demoFleet(), file, fresh: true, problem: `${file} is damaged (${saved}); the simulated host starts over` };
  let client: InMemoryVBoxManageClient;
  try {
    client = new InMemoryVBoxManageClient(saved.world);
  } catch (e) {
    return { client: demoFleet(), file, fresh: true, problem: `${file} cannot be used (${errorText(e)}); the simulated host starts over` };
  }
  client.advanceTime(Math.min(MAX_CATCH_UP_MS, Math.max(0, nowMs - saved.savedAt)));
  return { client, file, fresh: false, problem: null };
}

/** Save the simulated host (0600, written whole, never through a symbolic link); `null`, or why not. */
export function saveSimulatedHost(stateDir: string, client: InMemoryVBoxManageClient, nowMs: number = Date.now()): StateProblem | null {
  const dir = simulatedDir(stateDir);
  const bad = checkPrivateDir(dir);
  if (bad !== null) return bad;
  try {
    replaceFile(dir, FILE, `${JSON.stringify({ savedAt: nowMs, world: client.snapshot() }, null, 2)}\n`);
    return null;
  } catch (e) {
    return { problem: `the simulated host cannot be saved in ${dir} (${errorText(e)})` };
  }
}

/** The line `status` and `host` end with on the simulated host, so that nobody takes it for the real one. */
export function simulatedWords(simulated: { readonly file: string | null }): string {
  return simulated.file === null
    ? 'This is the simulated host (--simulate), not saved between runs.'
    : "This is the simulated host (--simulate), kept between runs; 'vbox-balloon simulate reset' starts it over.";
}

/** Forget the simulated host and the records of its starts: the next --simulate run starts from the demo fleet. */
export function resetSimulatedHost(stateDir: string): StateProblem | null {
  const dir = simulatedDir(stateDir);
  const bad = checkPrivateDir(dir);
  if (bad !== null) return bad;
  try {
    rmSync(join(dir, FILE), { force: true });
    for (const name of readdirSync(dir)) if (/^room-[\da-f-]+(?:\.\d+)?\.json$/u.test(name)) rmSync(join(dir, name), { force: true });
    return null;
  } catch (e) {
    return { problem: `the simulated host in ${dir} cannot be reset (${errorText(e)})` };
  }
}
