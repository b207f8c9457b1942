import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { boolFlag, stringFlag, stringList } from '../parse-command-line.js';
import { reportError } from '../report-error.js';
import { isUsage, keepPercentFlag, mbArg, optionalMb } from '../sizes.js';
import { mb, safe, table } from '../text.js';

export const reclaim: Command = {
  name: 'reclaim',
  summary: 'Inflate balloons of running VMs to free memory for other VMs, most free guest first',
  usage: 'vbox-balloon reclaim SIZE [--from VM...] [--keep-free SIZE] [--keep-free-percent N] [--dry-run]',
  flags: { from: { type: 'string', multiple: true }, 'keep-free': { type: 'string' }, 'keep-free-percent': { type: 'string' }, 'dry-run': { type: 'boolean' } },
  help: `Takes SIZE from the guests with the most free memory first, never leaving a guest below
--keep-free free and never past VirtualBox's limit. If less can be had than asked, nothing changes
and the error says how much can (exit 3). If a change fails midway, the ones already made are put
back (exit 8, the error lists what was and was not put back).

Flags:
  --from VM          Only these VMs (repeat the flag, or list VMs after it); default every running VM
  --keep-free SIZE   Free memory every guest keeps (default 256M)
  --keep-free-percent N  ...or N % of its RAM, if more (default 10)
  --dry-run          Plan and print, change nothing

Examples:
  vbox-balloon reclaim 2G
  vbox-balloon reclaim 1G --from web-1 web-2 --keep-free 512M --dry-run

Output:
  VM     GUEST FREE  FROM    TO       TAKE
  web-1  3072 MB     0 MB    1408 MB  1408 MB
  web-2  1496 MB     0 MB    640 MB   640 MB
  Reclaimed 2048 MB from 2 VMs.`,
  async run(ctx) {
    const [sizeText, ...more] = ctx.args.positionals;
    if (sizeText === undefined) return ctx.usage('missing SIZE');
    const from = stringList(ctx.args, 'from');
    if (more.length > 0 && from.length === 0) return ctx.usage(`unexpected argument ${JSON.stringify(more[0])} (to name VMs, use --from VM...)`);
    const megabytes = mbArg(ctx, sizeText, 'SIZE');
    if (isUsage(megabytes)) return megabytes;
    const keep = optionalMb(ctx, stringFlag(ctx.args, 'keep-free'), 'keep-free');
    if (isUsage(keep)) return keep;
    const percent = keepPercentFlag(ctx, stringFlag(ctx.args, 'keep-free-percent'));
    if (isUsage(percent)) return percent;
    const dryRun = boolFlag(ctx.args, 'dry-run');
    const { controller } = ctx.connect();
    const result = await controller.reclaim({
      megabytes,
      dryRun,
      signal: ctx.interrupt,
      ...(from.length === 0 ? {} : { from: [...from, ...more] }),
      ...(keep === undefined ? {} : { keepGuestFreeMb: keep }),
      ...percent,
    });
    if (result.isErr()) return reportError(ctx, result.error);
    const r = result.value;
    if (ctx.ui.json) {
      ctx.ui.printJson(r);
      return EXIT.ok;
    }
    const rows = r.plan.map((p) => [safe(p.vm), mb(p.guestFreeMb), mb(p.fromMb), mb(p.toMb), mb(p.takeMb)]);
    const vms = `${r.plan.length} VM${r.plan.length === 1 ? '' : 's'}`;
    if (!ctx.ui.quiet || dryRun) {
      ctx.ui.print(table(['VM', 'GUEST FREE', 'FROM', 'TO', 'TAKE'], rows, ctx.ui.out));
      ctx.ui.print(dryRun ? `Would reclaim ${r.reclaimedMb} MB from ${vms} (dry run, nothing changed).` : `Reclaimed ${r.reclaimedMb} MB from ${vms}.`);
    }
    return EXIT.ok;
  },
};
