// How a command talks to the person (or the script) that ran it: results on stdout, diagnostics on stderr.
import type { BalloonError } from '../index.js';
import { cliMessage } from './error-words.js';
import { colourAllowed, type Io } from './io.js';
import { jsonSafe, paint, safe, safeLine, type Paint } from './text.js';
import type { UsageError } from './usage-error.js';

/** The global output flags. */
export interface OutputFlags {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly noColor: boolean;
}

/** Output for one run of the CLI. */
export class Ui {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** Styles for stdout (no-ops unless stdout is a colour terminal). */
  readonly out: Paint;
  /** Styles for stderr (no-ops unless stderr is a colour terminal). */
  readonly err: Paint;
  /** True when stderr is a terminal: progress may update one line in place. */
  readonly stderrIsTerminal: boolean;
  readonly #io: Io;
  // A progress line drawn in place on the terminal and not ended: anything else written to stderr clears it first, so
  // that a warning never lands on it (the progress line is drawn again at its next update).
  #progressShown = false;

  constructor(io: Io, flags: OutputFlags) {
    this.#io = io;
    this.json = flags.json;
    this.quiet = flags.quiet;
    this.verbose = flags.verbose;
    this.out = paint(colourAllowed(io.stdout, io.env, flags.noColor));
    this.err = paint(colourAllowed(io.stderr, io.env, flags.noColor));
    this.stderrIsTerminal = io.stderr.isTTY === true;
  }

  /** A result, on stdout. */
  print(text: string): void {
    this.#io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A result as JSON on stdout: pretty, or one line (`line`) for a stream of results. */
  printJson(value: unknown, line = false): void {
    this.#io.stdout.write(`${jsonSafe(line ? JSON.stringify(value) : JSON.stringify(value, null, 2))}\n`);
  }

  /** Raw text on stderr (a progress line written as whole lines). */
  writeErr(text: string): void {
    this.#stderr(text);
  }

  /** The terminal's progress line, drawn in place (cleared before anything else is written to stderr). */
  progressLine(text: string): void {
    this.#io.stderr.write(`\r\u001b[2K${text}`);
    this.#progressShown = true;
  }

  /** Clear the terminal's progress line, if one is shown. */
  clearProgressLine(): void {
    if (!this.#progressShown) return;
    this.#io.stderr.write('\r\u001b[2K');
    this.#progressShown = false;
  }

  // Every other write to stderr: on a line of its own, never after a progress line.
  #stderr(text: string): void {
    this.clearProgressLine();
    this.#io.stderr.write(text);
  }

  /** Something worth knowing, on stderr; not with --quiet. */
  note(text: string): void {
    if (!this.quiet) this.#stderr(`${safeLine(text)}\n`);
  }

  /** Detail for --verbose, on stderr. */
  debug(text: string): void {
    if (this.verbose) this.#stderr(`${this.err.dim(safeLine(text))}\n`);
  }

  /** A warning, on stderr; not with --quiet. */
  warn(vm: string | null, message: string): void {
    if (this.quiet) return;
    const about = vm === null ? '' : `${safe(vm)}: `;
    this.#stderr(`${this.err.yellow('warning:')} ${safeLine(about + message)}\n`);
  }

  /** An SDK error: the object on stdout with --json, the message on stderr (always, even with --quiet). */
  error(e: BalloonError, extra: Readonly<Record<string, unknown>> = {}): void {
    if (this.json) this.printJson({ error: { ...e, ...extra } });
    this.errorLine(e);
  }

  /** An SDK error's message on stderr only (with --json the object is printed elsewhere), after `about` (a host). */
  errorLine(e: BalloonError, about?: string): void {
    this.failure(about === undefined ? headline(e) : `${about}: ${headline(e)}`);
    if (e.code === 'BLOCKED') for (const b of e.blockers) this.#stderr(`  - ${safeLine(cliMessage(b))}\n`);
  }

  /** A failure in words, `error: …` on stderr (always, even with --quiet). */
  failure(text: string): void {
    this.#stderr(`${this.err.red('error:')} ${safeLine(text)}\n`);
  }

  /**
   * A refusal of the CLI's own (no SDK error object): `{"error": {code, message, ...}}` on stdout with --json, and the
   * message on stderr always.
   */
  refusal(code: string, message: string, extra: Readonly<Record<string, unknown>> = {}): void {
    if (this.json) this.printJson({ error: { code, vm: null, message, ...extra } });
    this.failure(message);
  }

  /** A usage error: what was wrong, the usage line, and where help is. */
  usage(e: UsageError): void {
    if (this.json) this.printJson({ error: e });
    const help = e.command === null ? 'vbox-balloon --help' : `vbox-balloon ${e.command} --help`;
    this.#stderr(`${this.err.red('error:')} ${safeLine(e.message)}\nusage: ${e.usage}\nRun '${help}' for more.\n`);
  }
}

// A BLOCKED error lists its reasons below the first line instead of inline.
function headline(e: BalloonError): string {
  if (e.code !== 'BLOCKED') return cliMessage(e);
  const n = e.blockers.length;
  return `Cannot make the ${e.operation} on VM '${safe(e.vm ?? '?')}'; ${n === 1 ? 'one reason' : `${n} reasons`}:`;
}
