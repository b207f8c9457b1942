import type { Command, CommandContext } from '../command.js';
import { completionScript, SHELLS, type Shell } from '../completion.js';
import { EXIT } from '../exit-codes.js';
import type { UsageError } from '../usage-error.js';

export const completion: Command = {
  name: 'completion',
  summary: 'Print a shell completion script for bash, zsh or fish',
  usage: 'vbox-balloon completion bash|zsh|fish',
  flags: {},
  help: `Prints a script that completes vbox-balloon's commands and flags in your shell. It is made from
the same table as this help, so it always knows every command.

Examples:
  source <(vbox-balloon completion bash)          # in ~/.bashrc
  source <(vbox-balloon completion zsh)           # in ~/.zshrc (after compinit)
  vbox-balloon completion fish > ~/.config/fish/completions/vbox-balloon.fish`,
  run(ctx) {
    return Promise.resolve(print(ctx));
  },
};

function print(ctx: CommandContext): number | UsageError {
  const [shell, ...more] = ctx.args.positionals;
  if (shell === undefined) return ctx.usage('missing the shell: bash, zsh or fish');
  if (!(SHELLS as readonly string[]).includes(shell)) return ctx.usage(`${JSON.stringify(shell)} is not a shell this knows; use bash, zsh or fish`);
  if (more.length > 0) return ctx.usage(`unexpected argument ${JSON.stringify(more[0])}`);
  ctx.ui.print(completionScript(shell as Shell, ctx.commands));
  return EXIT.ok;
}
