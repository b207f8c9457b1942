import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { boolFlag, stringFlag } from '../parse-command-line.js';
import { exactly } from '../positionals.js';
import { renderChange } from '../render-change.js';
import { reportError } from '../report-error.js';
import { isUsage, optionalMb } from '../sizes.js';

export const prepare: Command = {
  name: 'prepare',
  summary: 'Make a VM that is off ready for ballooning: large pages off, and optionally a default balloon and Page Fusion',
  usage: 'vbox-balloon prepare VM [--default SIZE] [--page-fusion on|off] [--dry-run]',
  flags: { default: { type: 'string' }, 'page-fusion': { type: 'string' }, 'dry-run': { type: 'boolean' } },
  help: `Ballooning does not work with large pages. This turns them off and, with --default, sets the
default balloon and, with --page-fusion, Page Fusion, in ONE 'VBoxManage modifyvm' call (all or
none). Nothing runs when nothing needs changing. The VM must be powered off. Page Fusion works only
with Windows guests, on 64-bit hosts that are not macOS (a warning otherwise; see docs/page-fusion.md).

Flags:
  --default SIZE         Also set the default balloon (512, 512M, 2G)
  --page-fusion on|off   Also turn Page Fusion on or off
  --dry-run              Check and print the command, change nothing

Examples:
  vbox-balloon prepare db-1
  vbox-balloon prepare db-1 --default 1G --dry-run
  vbox-balloon prepare win-1 --page-fusion on

Output:
  db-1: large pages on -> off, default balloon 0 MB -> 1024 MB`,
  async run(ctx) {
    const pos = exactly(ctx, ['VM']);
    if (isUsage(pos)) return pos;
    const [vm = ''] = pos;
    const def = optionalMb(ctx, stringFlag(ctx.args, 'default'), 'default');
    if (isUsage(def)) return def;
    const fusion = stringFlag(ctx.args, 'page-fusion');
    if (fusion !== undefined && fusion !== 'on' && fusion !== 'off') return ctx.usage(`--page-fusion ${JSON.stringify(fusion)} is not on or off`);
    const { controller } = ctx.connect();
    const result = await controller.prepare(vm, {
      dryRun: boolFlag(ctx.args, 'dry-run'),
      signal: ctx.interrupt,
      ...(def === undefined ? {} : { defaultBalloonMb: def }),
      ...(fusion === undefined ? {} : { pageFusion: fusion === 'on' }),
    });
    if (result.isErr()) return reportError(ctx, result.error);
    if (ctx.ui.json) ctx.ui.printJson(result.value);
    else if (!ctx.ui.quiet) ctx.ui.print(renderChange(result.value, ctx.ui.verbose || result.value.dryRun));
    return EXIT.ok;
  },
};
