// The autopilot's settings: the defaults, then the configuration file, then the command line (flags override the
// file). The file's values are checked when read (read-config.ts) and then stand in for the flags of the same name,
// so that one path (the flags' own checks) turns text into settings, whichever of the two it came from.
import type { Parsed, CommandContext, FlagSpec } from '../command.js';
import type { AutopilotSetup } from '../autopilot-run.js';
import { boolFlag, stringFlag, stringList } from '../parse-command-line.js';
import { policyFromFlags } from '../policy-flags.js';
import { readSmallFile } from '../read-small-file.js';
import { isUsage, optionalCount, optionalDuration } from '../sizes.js';
import type { UsageError } from '../usage-error.js';
import type { VmLimits } from '../../index.js';
import { CONFIG_KEYS, type ConfigKey } from './config-keys.js';
import { readConfigText, type FileValue, type FileValues } from './read-config.js';

/** The levels of log lines, least verbose first. */
export const LOG_LEVELS = ['error', 'warning', 'info', 'debug'] as const;
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the autopilot runs with. */
export interface Settings {
  readonly setup: AutopilotSetup;
  /** The file's hosts (`--host`/`--hosts` override them); empty: this machine, or what the command line names. */
  readonly hosts: readonly string[];
  readonly metrics: string | null;
  readonly logFormat: 'text' | 'json';
  readonly logLevel: LogLevel;
  readonly stateDir: string | null;
  readonly onExit: 'keep' | 'restore';
  /** Every key's effective value in the file's words (absent: unset, the policy's own default). */
  readonly shown: Readonly<Record<string, FileValue>>;
  /** Keys whose value came from the defaults. */
  readonly defaulted: ReadonlySet<string>;
}

/** The flags the file's keys stand for, beyond the policy flags: the autopilot declares them. */
export const SERVICE_FLAGS: Readonly<Record<string, FlagSpec>> = {
  interval: { type: 'string' },
  'max-backoff': { type: 'string' },
  'dry-run': { type: 'boolean' },
  'max-ticks': { type: 'string' },
  metrics: { type: 'string' },
  'log-format': { type: 'string' },
  'log-level': { type: 'string' },
  'state-dir': { type: 'string' },
  'on-exit': { type: 'string' },
};

/**
 * The settings file, read and checked: its values, every problem (FILE:LINE:COL sentences), or why it cannot be
 * read at all (`unreadable`: missing, not a file, too large).
 */
export async function loadConfigFile(file: string): Promise<{ readonly values: FileValues; readonly legacy: boolean } | { readonly problems: readonly string[] } | { readonly unreadable: string }> {
  const text = await readSmallFile('config', file);
  if (text.isErr()) return { unreadable: text.error };
  return readConfigText(text.value.replace(/^\uFEFF/u, ''), file);
}

const isScalarValue = (v: FileValue | undefined): v is string | boolean => typeof v === 'string' || typeof v === 'boolean';

/** The command line with the file's values under it: what a flag sets wins. */
export function mergeFlags(args: Parsed, file: FileValues): Parsed {
  const values: Record<string, Parsed['values'][string]> = {};
  const policyFlag = stringFlag(args, 'policy');
  for (const key of CONFIG_KEYS) {
    const v = file[key.key];
    if (!isScalarValue(v)) continue;
    // Another policy on the command line leaves the file's knobs of the other policy out.
    if (key.policy !== undefined && policyFlag !== undefined && key.policy !== policyFlag) continue;
    values[key.key] = v;
  }
  for (const [k, v] of Object.entries(args.values)) if (v !== undefined) values[k] = v;
  return { values, positionals: args.positionals };
}

const choice = <T extends string>(ctx: CommandContext, args: Parsed, flag: string, choices: readonly T[], fallback: T): T | UsageError => {
  const v = stringFlag(args, flag);
  if (v === undefined) return fallback;
  return (choices as readonly string[]).includes(v) ? (v as T) : ctx.usage(`--${flag} ${JSON.stringify(v)} is not one of ${choices.join(', ')}`);
};

/** The settings of `args` (the command line over the file's values), or the usage error of the first bad flag. */
export function settingsFrom(ctx: CommandContext, args: Parsed, file: FileValues, configFile: string | null): Settings | UsageError {
  const on: CommandContext = { ...ctx, args };
  if (stringFlag(args, 'policy') === undefined) return ctx.usage(configFile === null ? 'missing --policy budget|balloonctrl' : `no policy: set "policy: budget" (or balloonctrl) in ${configFile}, or pass --policy`);
  const policy = policyFromFlags(on);
  if (isUsage(policy)) return policy;
  const intervalMs = optionalDuration(on, stringFlag(args, 'interval'), 'interval');
  if (isUsage(intervalMs)) return intervalMs;
  const maxTicks = optionalCount(on, stringFlag(args, 'max-ticks'), 'max-ticks');
  if (isUsage(maxTicks)) return maxTicks;
  const maxBackoffMs = optionalDuration(on, stringFlag(args, 'max-backoff'), 'max-backoff');
  if (isUsage(maxBackoffMs)) return maxBackoffMs;
  const logFormat = choice(ctx, args, 'log-format', ['text', 'json'] as const, 'text');
  if (isUsage(logFormat)) return logFormat;
  const logLevel = choice(ctx, args, 'log-level', LOG_LEVELS, 'info');
  if (isUsage(logLevel)) return logLevel;
  const onExit = choice(ctx, args, 'on-exit', ['keep', 'restore'] as const, 'keep');
  if (isUsage(onExit)) return onExit;
  const limits = file['limits'] as Readonly<Record<string, VmLimits>> | undefined;
  const shown: Record<string, FileValue> = {};
  const defaulted = new Set<string>();
  for (const key of CONFIG_KEYS) {
    const value = valueOf(key, args, file);
    if (key.policy !== undefined && key.policy !== policy.kind) continue;
    if (value !== undefined) shown[key.key] = value;
    else if (key.default !== null) {
      shown[key.key] = key.default;
      defaulted.add(key.key);
    }
  }
  return {
    setup: { policy, dryRun: boolFlag(args, 'dry-run'), intervalMs, maxTicks, limits, ...(maxBackoffMs === undefined ? {} : { maxBackoffMs }) },
    hosts: [...((file['hosts'] as readonly string[] | undefined) ?? [])],
    metrics: stringFlag(args, 'metrics') ?? null,
    logFormat,
    logLevel,
    stateDir: stringFlag(args, 'state-dir') ?? null,
    onExit,
    shown,
    defaulted,
  };
}

function valueOf(key: ConfigKey, args: Parsed, file: FileValues): FileValue | undefined {
  if (key.kind === 'limits' || key.kind === 'hosts') {
    const hosts = key.kind === 'hosts' ? [...stringList(args, 'host'), ...stringList(args, 'hosts').map((f) => `(every host in ${f})`)] : [];
    return hosts.length > 0 ? hosts : file[key.key];
  }
  const v = args.values[key.key];
  return typeof v === 'string' || typeof v === 'boolean' ? v : undefined;
}

/** What differs between two settings, in the file's words: `interval 10s -> 30s`, one entry per key. */
export function settingsChanges(before: Settings, after: Settings): { readonly key: string; readonly reload: boolean; readonly text: string }[] {
  const out: { key: string; reload: boolean; text: string }[] = [];
  for (const key of CONFIG_KEYS) {
    const a = JSON.stringify(before.shown[key.key] ?? null);
    const b = JSON.stringify(after.shown[key.key] ?? null);
    if (a === b) continue;
    const show = (v: FileValue | undefined): string => (v === undefined ? '(unset)' : typeof v === 'string' ? v : JSON.stringify(v));
    out.push({ key: key.key, reload: key.reload, text: key.kind === 'limits' || key.kind === 'hosts' ? `${key.key} changed` : `${key.key} ${show(before.shown[key.key])} -> ${show(after.shown[key.key])}` });
  }
  return out;
}
