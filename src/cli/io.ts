// Where the CLI writes, and whether a stream is a terminal. Commands never touch process.stdout themselves.

/** A stream the CLI writes to. */
export interface OutStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** The process's surroundings, passed in so that the CLI can be driven from a test. */
export interface Io {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Whether colour may be used on a stream: only on a terminal, never with NO_COLOR or TERM=dumb or --no-color. */
export function colourAllowed(stream: OutStream, env: Io['env'], noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}
