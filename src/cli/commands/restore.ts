import type { BalloonChange, VmFailure } from '../../index.js';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { renderChange } from '../render-change.js';
import { reportError } from '../report-error.js';

export const restore: Command = {
  name: 'restore',
  summary: 'Deflate live balloons back to each VM\'s default (every running VM, or the ones named)',
  usage: 'vbox-balloon restore [VM...]',
  flags: {},
  help: `Puts each running VM's live balloon back to its default balloon. A VM that is off has no live balloon
and is left alone. One VM failing does not stop the others (exit 8 when some failed).

The default of a running VM cannot be read from VirtualBox: vbox-balloon knows it only for VMs it saw
powered off in the same run, so from the shell a running VM is deflated to 0 MB, with a warning.

Examples:
  vbox-balloon restore
  vbox-balloon restore web-1 web-2 --json

Output:
  warning: web-1: its default balloon is unknown to this controller; deflating to 0
  web-1: live balloon 1024 MB -> 0 MB`,
  async run(ctx) {
    const { controller } = ctx.connect();
    const names = ctx.args.positionals;
    const changes: BalloonChange[] = [];
    const failed: VmFailure[] = [];
    for (const vm of names.length === 0 ? [undefined] : names) {
      const r = await controller.restore(vm, { signal: ctx.interrupt });
      if (r.isErr()) {
        if (names.length <= 1 || r.error.code === 'ABORTED') return reportError(ctx, r.error, { changes, failed });
        failed.push({ vm: vm ?? '', error: r.error });
        continue;
      }
      changes.push(...r.value.changes);
      failed.push(...r.value.failed);
    }
    const result = { changes, failed };
    if (ctx.ui.json) ctx.ui.printJson(result);
    else {
      if (!ctx.ui.quiet) ctx.ui.print(changes.length === 0 ? 'Nothing to restore: every running VM is at its default.' : changes.map((c) => renderChange(c, ctx.ui.verbose)).join('\n'));
      for (const f of failed) ctx.ui.error(f.error);
    }
    return failed.length === 0 ? EXIT.ok : EXIT.partial;
  },
};
