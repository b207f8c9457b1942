// Build the CLI once into .cli-test-build/ (next to package.json, so --version finds it) and run it as a child process.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAKE_VBOXMANAGE, type FakeWorld } from '../contract/harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = `${root}.cli-test-build/main.js`;

/** Build the executable (CLI entry only, no declarations: a second or two). */
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
    ...(fake === null ? { VBOX_BALLOON_STATE_DIR: join(mkdtempSync(join(tmpdir(), 'vbb-cli-')), 'state') } : {}),
  };
  return { ...base, ...(fake === null ? {} : { ...fake.env, VBOXMANAGE_PATH: FAKE_VBOXMANAGE }), ...extra };
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
