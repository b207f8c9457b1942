import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';

export const version: Command = {
  name: 'version',
  summary: 'Print the version of vbox-balloon (as --version does)',
  usage: 'vbox-balloon version',
  flags: {},
  help: `Prints "vbox-balloon VERSION"; with --json, {"name": "vbox-balloon", "version": VERSION}.`,
  run(ctx) {
    if (ctx.args.positionals.length > 0) return Promise.resolve(ctx.usage(`unexpected argument ${JSON.stringify(ctx.args.positionals[0])}`));
    if (ctx.ui.json) ctx.ui.printJson({ name: 'vbox-balloon', version: ctx.version });
    else ctx.ui.print(`vbox-balloon ${ctx.version}`);
    return Promise.resolve(EXIT.ok);
  },
};
