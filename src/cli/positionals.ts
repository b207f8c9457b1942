// How many words a command takes after its name.
import type { CommandContext } from './command.js';
import type { UsageError } from './usage-error.js';

/** Exactly the named positionals (`['VM', 'SIZE']`), or a usage error saying which is missing or extra. */
export function exactly(ctx: CommandContext, names: readonly string[]): readonly string[] | UsageError {
  const got = ctx.args.positionals;
  if (got.length < names.length) return ctx.usage(`missing ${names.slice(got.length).join(' and ')}`);
  if (got.length > names.length) return ctx.usage(`unexpected argument ${JSON.stringify(got[names.length])}`);
  return got;
}
