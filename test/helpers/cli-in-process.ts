// The vbox-balloon CLI run in this process through its own runner, with stdout and stderr captured (not terminals).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/run.js';

export interface InProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A new private state directory (the simulated host's file and room records go there). */
export function newStateDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'vbb-state-')), 'state');
}

/**
 * Run the CLI with `env` as its whole environment (swapped into process.env for the run and put back after it, so
 * runs in one file must not overlap).
 */
export async function runInProcess(args: readonly string[], env: Record<string, string>, signal: AbortSignal = new AbortController().signal): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const saved = process.env;
  process.env = { ...Object.fromEntries(Object.entries(saved).filter(([k]) => /^(VITEST|NODE_V8_COVERAGE$)/u.test(k))), PATH: saved['PATH'] ?? '/usr/bin:/bin', ...env };
  try {
    const code = await run(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: { ...process.env } }, { signal }, '0.0.0-test');
    return { code, stdout, stderr };
  } finally {
    process.env = saved;
  }
}
