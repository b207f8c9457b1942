// The VBoxManage stand-in (test/fixtures/fake-vboxmanage): a simulated host in a JSON file that the real client runs
// as VBoxManage, its invocation log, its fault knobs, and a real client pointed at it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExecaVBoxManageClient, type CommandEvent, type ExecaVBoxManageClientOptions } from '../../src/index.js';
import type { World } from './world.js';

export const FAKE_VBOXMANAGE = fileURLToPath(new URL('../fixtures/fake-vboxmanage', import.meta.url));

/** A fake-VBoxManage world on disk: its state file, log and helpers. */
export interface FakeWorld {
  readonly dir: string;
  readonly statePath: string;
  readonly logPath: string;
  readonly env: Record<string, string>;
  run(...args: string[]): string;
  log(): { argv: string[]; pid: number; start: number; end: number; exitCode: number; lcAll: string | null; control?: true }[];
  setFaults(faults: Record<string, unknown>): void;
  editVm(name: string, change: Record<string, unknown>): void;
}

export function fakeWorld(world: World): FakeWorld {
  const dir = mkdtempSync(join(tmpdir(), 'fake-vbox-'));
  const statePath = join(dir, 'state.json');
  const logPath = join(dir, 'state.json.log');
  const host = { os: 'Linux', osVersion: '6.1.0', is64Bit: true, memoryMb: 65_536, baseUsedMb: 2048, ...world.host };
  // The same defaults as InMemoryVBoxManageClient, so that one World means the same host to both.
  const vms = world.vms.map((spec, i) => {
    const memoryMb = spec.memoryMb ?? 2048;
    const usedMb = spec.usedMb ?? Math.floor(memoryMb / 4);
    const runLevel = spec.guestAdditionsRunLevel ?? 2;
    const state = spec.state ?? 'poweroff';
    const on = state === 'running' || state === 'paused';
    const def = spec.defaultBalloonMb ?? 0;
    return {
      name: spec.name,
      uuid: (spec.uuid ?? `00000000-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`).toLowerCase(),
      state,
      memoryMb,
      defaultBalloonMb: def,
      liveBalloonMb: on ? def : 0,
      achievedMb: on && runLevel >= 2 ? Math.min(def, Math.max(0, memoryMb - usedMb)) : 0,
      largePages: spec.largePages === undefined ? false : spec.largePages,
      pageFusion: spec.pageFusion ?? false,
      runLevel,
      usedMb,
      osType: spec.osType ?? 'Ubuntu (64-bit)',
      locked: false,
      metricsOn: false,
      // The same snapshot UUIDs as the in-memory client's.
      snapshots: (spec.snapshots ?? []).map((name, j) => ({ name, uuid: `5a0b5b07-0000-4000-8000-${(i + 1).toString(16).padStart(8, '0')}${(j + 1).toString(16).padStart(4, '0')}` })),
    };
  });
  writeFileSync(statePath, JSON.stringify({ version: '7.0.10r158379', host, vms, faults: {} }, null, 2));
  const env = { FAKE_VBOX_STATE: statePath, FAKE_VBOX_LOG: logPath };
  const edit = (fn: (s: { vms: { name: string }[]; faults: Record<string, unknown> }) => void): void => {
    const s = JSON.parse(readFileSync(statePath, 'utf8')) as { vms: { name: string }[]; faults: Record<string, unknown> };
    fn(s);
    writeFileSync(statePath, JSON.stringify(s, null, 2));
  };
  return {
    dir,
    statePath,
    logPath,
    env,
    run: (...args) => {
      try {
        return execFileSync(FAKE_VBOXMANAGE, args, { env: { ...process.env, ...env, FAKE_VBOX_CONTROL: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        throw new Error(`fake VBoxManage ${args.join(' ')} failed: ${String((e as { stderr?: unknown }).stderr)}`);
      }
    },
    log: () =>
      existsSync(logPath)
        ? readFileSync(logPath, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => JSON.parse(l) as ReturnType<FakeWorld['log']>[number])
        : [],
    setFaults: (faults) => { edit((s) => (s.faults = faults)); },
    editVm: (name, change) => { edit((s) => Object.assign(s.vms.find((v) => v.name === name) ?? {}, change)); },
  };
}

export function fakeClient(fake: FakeWorld, options: ExecaVBoxManageClientOptions = {}, events: CommandEvent[] = []): ExecaVBoxManageClient {
  return new ExecaVBoxManageClient({
    vboxManagePath: FAKE_VBOXMANAGE,
    timeoutMs: 10_000,
    retry: { attempts: 3, delayMs: 10 },
    metricsSettleMs: 0, // the stand-in has samples at once after setup
    ...options,
    env: { ...fake.env, ...options.env },
    onCommand: (e) => {
      events.push(e);
      options.onCommand?.(e);
    },
  });
}

/** Processes still alive that were started for this fake world (found by their FAKE_VBOX_STATE). */
export function leftoverProcesses(statePath: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (environ.split('\0').includes(`FAKE_VBOX_STATE=${statePath}`)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

/** A script on the "remote" side that runs the stand-in with this world's state (ssh forwards no environment). */
export function remoteVBoxManage(fake: FakeWorld): string {
  const file = join(fake.dir, 'remote-vboxmanage');
  writeFileSync(
    file,
    `#!/bin/sh\nFAKE_VBOX_STATE='${fake.statePath}' FAKE_VBOX_LOG='${fake.logPath}' exec '${process.execPath}' '${FAKE_VBOXMANAGE}.mjs' "$@"\n`,
    { mode: 0o755 },
  );
  return file;
}
