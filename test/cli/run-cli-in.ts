// Run the built CLI (see run-cli.ts) in a given working directory, or with its stdout closed before it writes.
import { spawn } from 'node:child_process';
import { CLI, type CliResult } from './run-cli.js';

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
