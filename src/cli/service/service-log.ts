// The autopilot's log as a service manager reads it: one line per decision, error, reload, start and stop. Text
// (under systemd's journal: a syslog priority prefix, <3> error, <4> warning, <6> info, <7> debug, and no timestamp
// of its own, since the journal stamps each line) or JSON, one object a line.
import { fstatSync } from 'node:fs';
import type { LogLevel } from '../config/settings.js';
import { jsonSafe, safeLine } from '../text.js';

/** What a line is about, beside its message. */
export interface LogFields {
  /** What happened: `start`, `stop`, `reload`, `change`, `tick`, `tick-failed`, `recovered`, `error`, `warning`, `state`… */
  readonly event: string;
  /** The host's name; `null` on one host. */
  readonly host?: string | null;
  /** The VM, by UUID and name, when the line is about one. */
  readonly vm?: { readonly uuid: string | null; readonly name: string } | null;
  /** The error code, when the line reports an error. */
  readonly code?: string | null;
}

const RANK: Readonly<Record<LogLevel, number>> = { error: 0, warning: 1, info: 2, debug: 3 };
const PRIORITY: Readonly<Record<LogLevel, number>> = { error: 3, warning: 4, info: 6, debug: 7 };

/**
 * Whether stdout is systemd's journal: JOURNAL_STREAM holds the journal stream's `device:inode`, and it is ours only
 * when stdout is that very stream (a child whose output was redirected inherits the variable, not the stream).
 */
export function toJournal(env: Readonly<Record<string, string | undefined>>, fd = 1): boolean {
  const stream = env['JOURNAL_STREAM'];
  if (stream === undefined || !/^\d+:\d+$/u.test(stream)) return false;
  try {
    const s = fstatSync(fd);
    return `${s.dev}:${s.ino}` === stream;
  } catch {
    return false;
  }
}

/** A log writing whole lines to `write`. */
export class ServiceLog {
  #format: 'text' | 'json';
  #level: LogLevel;
  readonly #journal: boolean;
  readonly #write: (line: string) => void;
  readonly #now: () => Date;

  constructor(write: (line: string) => void, o: { readonly format: 'text' | 'json'; readonly level: LogLevel; readonly journal: boolean; readonly now?: () => Date }) {
    this.#write = write;
    this.#format = o.format;
    this.#level = o.level;
    this.#journal = o.journal;
    this.#now = o.now ?? (() => new Date());
  }

  /** Change the format and level (a reload). */
  configure(format: 'text' | 'json', level: LogLevel): void {
    this.#format = format;
    this.#level = level;
  }

  /** Whether lines of `level` are written. */
  enabled(level: LogLevel): boolean {
    return RANK[level] <= RANK[this.#level];
  }

  error(message: string, fields: LogFields): void {
    this.line('error', message, fields);
  }
  warn(message: string, fields: LogFields): void {
    this.line('warning', message, fields);
  }
  info(message: string, fields: LogFields): void {
    this.line('info', message, fields);
  }
  debug(message: string, fields: LogFields): void {
    this.line('debug', message, fields);
  }

  /** One line, if its level is logged. */
  line(level: LogLevel, message: string, f: LogFields): void {
    if (!this.enabled(level)) return;
    if (this.#format === 'json') {
      const vm = f.vm === undefined || f.vm === null ? null : { uuid: f.vm.uuid, name: f.vm.name };
      const record = { time: this.#now().toISOString(), level, message, event: f.event, host: f.host ?? null, vm, code: f.code ?? null };
      this.#write(`${jsonSafe(JSON.stringify(record))}\n`);
      return;
    }
    const about = f.host === undefined || f.host === null ? '' : `${f.host}: `;
    const word = level === 'info' ? '' : `${level}: `;
    const text = safeLine(`${word}${about}${message}`);
    this.#write(this.#journal ? `<${PRIORITY[level]}>${text}\n` : `${this.#now().toISOString()} ${text}\n`);
  }
}
