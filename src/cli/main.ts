#!/usr/bin/env node
// The vbox-balloon executable: wires the process (argv, streams, signals) to the runner.
import { readFileSync } from 'node:fs';
import type { OutStream } from './io.js';
import { run } from './run.js';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

// 128 + the signal's number: what a shell shows for a process the signal ended.
const EXIT_BY_SIGNAL = { SIGHUP: 129, SIGINT: 130, SIGQUIT: 131, SIGTERM: 143 } as const;
type HandledSignal = keyof typeof EXIT_BY_SIGNAL;

const interrupt = new AbortController();
const lastWords = new Set<() => void>();
// A command that reloads on SIGHUP (the autopilot with a configuration file) takes it over from the wind-down.
const hangupListeners = new Set<() => void>();
let signals = 0;
const onSignal = (signal: HandledSignal): void => {
  if (signal === 'SIGHUP' && hangupListeners.size > 0) {
    for (const listener of hangupListeners) listener();
    return;
  }
  signals++;
  // The first signal asks the command to wind down (a closed terminal or a dropped ssh session sends SIGHUP: the same);
  // a second one ends the process at once, after the command has said (and kept) what it leaves changed.
  if (signals > 1) {
    for (const say of lastWords) {
      try {
        say();
      } catch {
        // the process ends anyway
      }
    }
    process.exit(EXIT_BY_SIGNAL[signal]);
  }
  interrupt.abort();
};
for (const signal of Object.keys(EXIT_BY_SIGNAL) as HandledSignal[]) process.on(signal, onSignal);

// A reader that went away (`status | head -1`, a closed terminal) is not an error of the command: later output is
// dropped, the command finishes (or winds down, when it only prints) and exits quietly.
const stdoutClosed = new AbortController();
function guarded(stream: NodeJS.WriteStream, onClosed: () => void): OutStream {
  let closed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'EIO' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
    closed = true;
    onClosed();
  });
  return {
    write: (text: string) => (closed ? true : stream.write(text)),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
  };
}
const stdout = guarded(process.stdout, () => {
  stdoutClosed.abort();
});
const stderr = guarded(process.stderr, () => undefined);

// The handlers stay until the process ends: a late signal must not kill it halfway through writing its output.
const code = await run(
  process.argv.slice(2),
  { stdout, stderr, env: process.env },
  {
    signal: interrupt.signal,
    stdoutClosed: stdoutClosed.signal,
    onExit: (say) => {
      lastWords.add(say);
      return () => lastWords.delete(say);
    },
    onHangup: (listener) => {
      hangupListeners.add(listener);
      return () => hangupListeners.delete(listener);
    },
  },
  packageVersion(),
);
process.exitCode = code;
