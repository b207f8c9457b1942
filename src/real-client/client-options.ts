// The real client's options: what a user may pass, their check (once, in the constructor, with the shared option
// schemas of src/validate) and their defaults.
import { existsSync } from 'node:fs';
import { ok, type Result } from 'neverthrow';
import type { BalloonError, InvalidArgumentError } from '../errors/index.js';
import type { CommandEvent } from '../events/command-event.js';
import { checkSshOptions, type SshOptions } from './ssh/ssh-target.js';
import { durationMs, func, integer, object, optional, recordOf, string, type Check } from '../validate/schema.js';

/** How transient failures (VM lock held, lock request pending, object not ready) are retried. */
export interface RetryOptions {
  /** Tries in all, the first included. Default 3; 1 turns retries off. */
  readonly attempts: number;
  /** Wait before the second try, in ms; it doubles for each further try. Default 1000. */
  readonly delayMs: number;
}

/** Options of `ExecaVBoxManageClient`. */
export interface ExecaVBoxManageClientOptions {
  /** The VBoxManage executable. Default: `VBOXMANAGE_PATH`, then `PATH`, then the standard install places. */
  readonly vboxManagePath?: string;
  /** Kill a VBoxManage call (and its children) after this many ms and return `TIMEOUT`. Default 60 000. */
  readonly timeoutMs?: number;
  /** Retries of transient failures. Default `{ attempts: 3, delayMs: 1000 }`. */
  readonly retry?: Partial<RetryOptions>;
  /** At most this many VBoxManage processes at once. Default 4. */
  readonly maxConcurrency?: number;
  /** Extra environment variables for VBoxManage (the locale is fixed to `C.UTF-8`, or `C` where that is missing). */
  readonly env?: Readonly<Record<string, string>>;
  /** Called after every VBoxManage invocation, retries included. */
  readonly onCommand?: (event: CommandEvent) => void;
  /**
   * For how long after `metrics setup` an empty metrics answer means "no sample yet" rather than "the VM restarted
   * and lost its metrics" (which makes the next call set them up again). Default 3000 ms; VirtualBox samples every second.
   */
  readonly metricsSettleMs?: number;
  /**
   * Run VBoxManage on another host through the system's `ssh` client (OpenSSH), with no agent of ours there. See
   * docs/remote.md. Call `ExecaVBoxManageClient.close` when done, to end the shared connection.
   */
  readonly ssh?: SshOptions;
}

// VBoxManage 7 translates messages and labels: always run it in an English UTF-8 locale (Vagrant's lesson:
// plain `C` broke some VBoxManage 7 builds, so `C.UTF-8` where the host has it, else `C`).
function fixedLocale(): Record<string, string> {
  const hasCUtf8 = process.platform !== 'linux' || ['/usr/lib/locale/C.utf8', '/usr/lib/locale/C.UTF-8'].some((d) => existsSync(d));
  const locale = hasCUtf8 ? 'C.UTF-8' : 'C';
  return { LC_ALL: locale, LANG: locale, LANGUAGE: 'en' };
}

// ssh options have their own check (checkSshOptions); here they only pass through.
const passThrough: Check<unknown> = (value) => ok(value);

const shape = {
  vboxManagePath: optional(string({ nonEmpty: true, example: '/usr/bin/VBoxManage' })),
  timeoutMs: optional(durationMs({ min: 1, example: 60_000 })),
  retry: optional(
    object({
      attempts: optional(integer({ min: 1, max: 100, example: 3 })),
      delayMs: optional(durationMs({ min: 0, example: 1000 })),
    }),
  ),
  maxConcurrency: optional(integer({ min: 1, max: 1024, example: 4 })),
  env: optional(recordOf(string({ example: '/srv/vbox' }), { example: "{ VBOX_USER_HOME: '/srv/vbox' }" })),
  onCommand: optional(func),
  metricsSettleMs: optional(durationMs({ min: 0, example: 3000 })),
  ssh: passThrough,
} as const;

/** The checked options, with the fields the constructor reads. @internal */
export interface CheckedClientOptions {
  readonly vboxManagePath?: string;
  readonly timeoutMs?: number;
  readonly retry?: { readonly attempts?: number; readonly delayMs?: number };
  readonly maxConcurrency?: number;
  readonly env?: Record<string, string>;
  readonly onCommand?: (event: never) => void;
  readonly metricsSettleMs?: number;
  readonly ssh?: unknown;
}

/** Check the options of `new ExecaVBoxManageClient(options)`; never throws, whatever `options` is. @internal */
export function checkClientOptions(options: unknown): Result<CheckedClientOptions, InvalidArgumentError> {
  return object(shape)(options, 'options') as Result<CheckedClientOptions, InvalidArgumentError>;
}

/** Every setting of a real client, defaults filled in; `invalid` is the error its options gave, if any. @internal */
export interface ClientSettings {
  readonly timeoutMs: number;
  readonly retry: RetryOptions;
  readonly env: Record<string, string>;
  readonly onCommand: ((event: CommandEvent) => void) | undefined;
  readonly vboxManagePath: string | undefined;
  readonly maxConcurrency: number;
  readonly metricsSettleMs: number;
  readonly ssh: SshOptions | null;
  readonly invalid: BalloonError | null;
}

/**
 * The settings of `new ExecaVBoxManageClient(options)`. A constructor cannot return a Result: bad options are kept
 * in `invalid` (with the defaults for the rest), and every call of that client returns them, running nothing. @internal
 */
export function clientSettings(options: unknown): ClientSettings {
  const checked = checkClientOptions(options);
  const o: CheckedClientOptions = checked.isOk() ? checked.value : {};
  const ssh = o.ssh === undefined ? ok(null) : checkSshOptions(o.ssh);
  const invalid = checked.isErr() ? checked.error : ssh.isErr() ? ssh.error : null;
  return {
    timeoutMs: o.timeoutMs ?? 60_000,
    retry: { attempts: o.retry?.attempts ?? 3, delayMs: o.retry?.delayMs ?? 1000 },
    env: { ...fixedLocale(), ...o.env },
    onCommand: o.onCommand as ((event: CommandEvent) => void) | undefined,
    vboxManagePath: o.vboxManagePath,
    maxConcurrency: o.maxConcurrency ?? 4,
    metricsSettleMs: o.metricsSettleMs ?? 3000,
    ssh: invalid === null && ssh.isOk() ? ssh.value : null,
    invalid,
  };
}
