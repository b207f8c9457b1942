// The vbox-balloon CLI in tests: in-process through its own runner with captured streams (most cases), or the built
// executable as a child process (exit codes, signals, a terminal, pipes). The e2e project builds it once per run into
// .cli-test-build/ (next to package.json, so --version finds it): see build-cli.global.ts.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/run.js';
import { FAKE_VBOXMANAGE, type FakeWorld } from './stand-in.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = `${root}.cli-test-build/main.js`;

/** Build the executable (CLI entry only, no declarations: a second or two). Only the e2e global setup calls it. */
export function buildCli(): void {
  execFileSync(`${root}node_modules/.bin/tsup`, ['src/cli/main.ts', '--format', 'esm', '--target', 'node20', '-d', '.cli-test-build', '--no-config', '--silent'], {
    cwd: root,
    stdio: 'pipe',
  });
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment for a run against a fake world: its state file, the stand-in as VBOXMANAGE_PATH, no colour hints. */
export function cliEnv(fake: FakeWorld | null, extra: Record<string, string> = {}): Record<string, string> {
  // Over --simulate (no fake world), a state directory of its own: the simulated host is kept there between runs.
  const base: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/tmp',
    ...(fake === null ? { VBOX_BALLOON_STATE_DIR: newStateDir() } : {}),
  };
  return { ...base, ...(fake === null ? {} : { ...fake.env, VBOXMANAGE_PATH: FAKE_VBOXMANAGE }), ...extra };
}

/** A new private state directory (not made yet): the simulated host's file and room records go there. */
export function newStateDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'vbb-state-')), 'state');
}

/** Run the CLI to the end with pipes for stdout and stderr. */
export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** Start the CLI with pipes. */
export function spawnCli(args: readonly string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run the CLI to the end in `cwd`, with pipes for stdout and stderr. */
export function runCliIn(args: readonly string[], env: Record<string, string>, cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** Run the CLI with its stdout's reader gone before it writes anything (as in `vbox-balloon status | head -0`). */
export function runCliStdoutClosed(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout: '', stderr });
    });
  });
}

/** Run the CLI under a real pseudo-terminal (util-linux script); returns everything the terminal showed. */
export function runInTerminal(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  const quote = (s: string): string => `'${s.replace(/'/gu, "'\\''")}'`;
  const command = [process.execPath, CLI, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], { env: { ...env, TERM: 'xterm-256color' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr: '' });
    });
  });
}

/**
 * Run the CLI in this process, as the executable would with `env` as its whole environment: the same runner, with
 * stdout and stderr captured (not terminals). The environment is swapped in for the run and put back after it, so
 * cases in one file must not run concurrently (vitest runs them one after another unless told otherwise).
 */
export async function runCliInProcess(args: readonly string[], env: Record<string, string>, signal: AbortSignal = new AbortController().signal): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const saved = process.env;
  // The worker's own variables stay (vitest's, and coverage's for the processes the run starts); nothing else.
  process.env = { ...Object.fromEntries(Object.entries(saved).filter(([k]) => /^(VITEST|NODE_V8_COVERAGE$)/u.test(k))), ...env };
  try {
    const code = await run(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: { ...env } }, { signal }, VERSION);
    return { code, stdout, stderr };
  } finally {
    process.env = saved;
  }
}

/** What the built executable reads from package.json. */
const VERSION = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;
