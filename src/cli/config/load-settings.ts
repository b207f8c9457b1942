// The autopilot's settings from its command line and the --config file it names: read, checked and merged, or every
// problem in the file (printed, exit 2: nothing starts).
import type { CommandContext } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { stringFlag } from '../parse-command-line.js';
import { isUsage } from '../sizes.js';
import type { UsageError } from '../usage-error.js';
import { loadConfigFile, mergeFlags, settingsFrom, type Settings } from './settings.js';

/** Flags only a service uses: any of them makes the autopilot run as one. */
export const SERVICE_ONLY_FLAGS = ['log-format', 'log-level', 'state-dir', 'on-exit'] as const;

/** Settings and where they came from (`configFile` is `null` for flags only, and for a 0.1 limits file). */
export interface Loaded {
  readonly settings: Settings;
  readonly configFile: string | null;
}

/** The file's problems, each a sentence starting with FILE:LINE:COL. */
export interface FileProblems {
  readonly problems: readonly string[];
  readonly file: string;
}

/** The settings, a usage error of the command line, or the file's problems. */
export async function loadSettings(ctx: CommandContext): Promise<Loaded | UsageError | FileProblems> {
  const file = stringFlag(ctx.args, 'config');
  if (file === undefined) {
    const settings = settingsFrom(ctx, ctx.args, {}, null);
    return isUsage(settings) ? settings : { settings, configFile: null };
  }
  const read = await loadConfigFile(file);
  if ('unreadable' in read) return ctx.usage(read.unreadable);
  if ('problems' in read) return { problems: read.problems, file };
  if (read.legacy) {
    ctx.ui.warn(null, `--config ${file} is a per-VM limits file of vbox-balloon 0.1 (JSON); it is still read, but deprecated: move its limits under "limits:" in a settings file with "version: 1" (see docs/service.md)`);
  }
  const settings = settingsFrom(ctx, mergeFlags(ctx.args, read.values), read.values, file);
  return isUsage(settings) ? settings : { settings, configFile: read.legacy ? null : file };
}

/** Like {@link loadSettings}, with the file's problems printed (every one) and turned into exit code 2. */
export async function readSettings(ctx: CommandContext): Promise<Loaded | UsageError | number> {
  const loaded = await loadSettings(ctx);
  if (!('problems' in loaded)) return loaded;
  printProblems(ctx, loaded);
  return EXIT.usage;
}

/** Every problem of a file on stderr (and as one JSON document with --json), then that nothing started. */
export function printProblems(ctx: CommandContext, p: FileProblems, what = 'Nothing started.'): void {
  const message = `${p.file} has ${p.problems.length} problem${p.problems.length === 1 ? '' : 's'}. ${what}`;
  if (ctx.ui.json) ctx.ui.printJson({ error: { code: 'CONFIG_INVALID', vm: null, file: p.file, problems: p.problems, message } });
  for (const line of p.problems) ctx.ui.failure(line);
  ctx.ui.writeErr(`${message}\n`);
}

/** For a reload: the settings, or every problem (a usage error of the merged command line counts as one). */
export function configProblems(loaded: Loaded | UsageError | FileProblems): Settings | { readonly problems: readonly string[] } {
  if (isUsage(loaded)) return { problems: [loaded.message] };
  if ('problems' in loaded) return loaded;
  return loaded.configFile === null ? { problems: ['the file is no longer a settings file with "version: 1"'] } : loaded.settings;
}
