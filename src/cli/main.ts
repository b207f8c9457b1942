#!/usr/bin/env node
// The vbox-balloon executable: wires the process (argv, streams, signals) to the runner.
import { readFileSync } from 'node:fs';
import { EXIT } from './exit-codes.js';
import { run } from './run.js';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

const interrupt = new AbortController();
let signals = 0;
const onSignal = (signal: NodeJS.Signals): void => {
  signals++;
  // The first signal asks the command to wind down; a second one ends the process at once.
  if (signals > 1) process.exit(signal === 'SIGTERM' ? 143 : EXIT.interrupted);
  interrupt.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// The handlers stay until the process ends: a late signal must not kill it halfway through writing its output.
const code = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }, { signal: interrupt.signal }, packageVersion());
process.exitCode = code;
