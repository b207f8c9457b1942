import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { boolFlag, stringFlag } from '../parse-command-line.js';
import { exactly } from '../positionals.js';
import { renderChange } from '../render-change.js';
import { reportError } from '../report-error.js';
import { isUsage, optionalMb } from '../sizes.js';

export const prepare: Command = {
  name: 'prepare',
  summary: 'Make a VM that is off ready for ballooning: large pages off, and optionally a default balloon',
  usage: 'vbox-balloon prepare VM [--default SIZE] [--dry-run]',
  flags: { default: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  help: `Ballooning does not work with large pages. This turns them off and, with --default, sets the
default balloon, in ONE 'VBoxManage modifyvm' call (both or neither). Nothing runs when nothing needs
changing. The VM must be powered off.

Flags:
  --default SIZE   Also set the default balloon (512, 512M, 2G)
  --dry-run        Check and print the command, change nothing

Examples:
  vbox-balloon prepare db-1
  vbox-balloon prepare db-1 --default 1G --dry-run

Output:
  db-1: large pages on -> off, default balloon 0 MB -> 1024 MB`,
  async run(ctx) {
    const pos = exactly(ctx, ['VM']);
    if (isUsage(pos)) return pos;
    const [vm = ''] = pos;
    const def = optionalMb(ctx, stringFlag(ctx.args, 'default'), 'default');
    if (isUsage(def)) return def;
    const { controller } = ctx.connect();
    const result = await controller.prepare(vm, {
      dryRun: boolFlag(ctx.args, 'dry-run'),
      signal: ctx.interrupt,
      ...(def === undefined ? {} : { defaultBalloonMb: def }),
    });
    if (result.isErr()) return reportError(ctx, result.error);
    if (ctx.ui.json) ctx.ui.printJson(result.value);
    else if (!ctx.ui.quiet) ctx.ui.print(renderChange(result.value, ctx.ui.verbose || result.value.dryRun));
    return EXIT.ok;
  },
};
