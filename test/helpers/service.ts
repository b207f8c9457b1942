// The built CLI run as a service on the stand-in: its log lines as they come, waits on what it logs or what the
// stand-in saw (never on the clock), and its signals.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fakeWorld, type FakeWorld } from './stand-in.js';
import { CLI, cliEnv } from './cli.js';

/** A running service. */
export interface Service {
  readonly child: ChildProcess;
  /** Every stdout line so far. */
  lines(): string[];
  readonly stderr: () => string;
  /** Wait until `holds` (checked every 20 ms); fails the test through vitest's own time limit if it never does. */
  until(holds: () => boolean): Promise<void>;
  /** Wait until a stdout line matches `re`, counting from line `from`; resolves with its index. */
  line(re: RegExp, from?: number): Promise<number>;
  /** The exit code, once it exited. */
  readonly exited: Promise<number | null>;
}

/** Start `vbox-balloon autopilot ARGS` against `fake`. */
export function startService(args: readonly string[], fake: FakeWorld, env: Record<string, string> = {}): Service {
  const child = spawn(process.execPath, [CLI, 'autopilot', ...args], { env: cliEnv(fake, env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const state = { done: false };
  void exited.then(() => (state.done = true));
  const lines = (): string[] => out.split('\n').filter((l) => l !== '');
  const until = async (holds: () => boolean): Promise<void> => {
    while (!holds()) {
      if (state.done) throw new Error(`the service exited while waiting; stdout:\n${out}\nstderr:\n${err}`);
      await sleep(20);
    }
  };
  return {
    child,
    lines,
    stderr: () => err,
    until,
    line: async (re, from = 0) => {
      let at = -1;
      await until(() => (at = lines().findIndex((l, i) => i >= from && re.test(l))) !== -1);
      return at;
    },
    exited,
  };
}

/** Three running VMs on a 16 GB host, their guests with memory to spare: a budget of 10G makes the autopilot inflate. */
export function serviceWorld(): FakeWorld {
  return fakeWorld({
    host: { memoryMb: 16_384 },
    vms: [
      { name: 'web-1', state: 'running', memoryMb: 4096, usedMb: 1000 },
      { name: 'web-2', state: 'running', memoryMb: 4096, usedMb: 1500 },
      { name: 'db-1', state: 'running', memoryMb: 6144, usedMb: 3000 },
    ],
  });
}

/** A private state directory and a settings file with `body` under `version: 1`. */
export function serviceFiles(body: string): { readonly dir: string; readonly stateDir: string; readonly config: string; write(text: string): void } {
  const dir = mkdtempSync(join(tmpdir(), 'service-'));
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir, { mode: 0o700 });
  const config = join(dir, 'vbox.yaml');
  const write = (text: string): void => {
    writeFileSync(config, `version: 1\n${text}`);
  };
  write(body);
  return { dir, stateDir, config, write };
}

/** The stand-in's controlvm calls that set a live balloon (not the test's own control calls). */
export const balloonCalls = (fake: FakeWorld): number => fake.log().filter((e) => e.control !== true && e.argv[0] === 'controlvm' && e.argv[2] === 'guestmemoryballoon').length;

/** A VM's live balloon as the stand-in holds it. */
export const liveBalloon = (fake: FakeWorld, vm: string): number => Number(/^GuestMemoryBalloon=(\d+)$/mu.exec(fake.run('showvminfo', vm, '--machinereadable'))?.[1]);
