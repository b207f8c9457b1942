import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { boolFlag } from '../parse-command-line.js';
import { exactly } from '../positionals.js';
import { renderChange } from '../render-change.js';
import { reportError } from '../report-error.js';
import { resolveSize } from '../resolve-size.js';
import { isUsage, sizeArg } from '../sizes.js';

export const defaultCommand: Command = {
  name: 'default',
  summary: 'Change the default balloon of a VM that is off (requested at every start)',
  usage: 'vbox-balloon default VM SIZE [--dry-run]',
  flags: { 'dry-run': { type: 'boolean' } },
  help: `Runs 'VBoxManage modifyvm VM --guestmemoryballoon SIZE'. The VM must be powered off (or aborted):
VirtualBox refuses settings changes while it runs, is saved or is locked by another session.
SIZE is 512, 512M, 2G or a percentage of the VM's RAM (25%).

Flags:
  --dry-run   Check and print the command, change nothing

Examples:
  vbox-balloon default spare-1 512
  vbox-balloon default spare-1 10% --dry-run

Output:
  spare-1: default balloon 0 MB -> 512 MB`,
  async run(ctx) {
    const pos = exactly(ctx, ['VM', 'SIZE']);
    if (isUsage(pos)) return pos;
    const [vm = '', sizeText = ''] = pos;
    const size = sizeArg(ctx, sizeText, 'SIZE', true);
    if (isUsage(size)) return size;
    const { controller } = ctx.connect();
    const target = await resolveSize(controller, vm, size, ctx.interrupt);
    if ('error' in target) return reportError(ctx, target.error);
    const result = await controller.setDefaultBalloon(vm, target.mb, { dryRun: boolFlag(ctx.args, 'dry-run'), signal: ctx.interrupt });
    if (result.isErr()) return reportError(ctx, result.error);
    if (ctx.ui.json) ctx.ui.printJson(result.value);
    else if (!ctx.ui.quiet) ctx.ui.print(renderChange(result.value, ctx.ui.verbose || result.value.dryRun));
    return EXIT.ok;
  },
};
