import type { BalloonError, BalloonStatus } from '../../index.js';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { reportError } from '../report-error.js';
import { renderStatus } from '../render-status.js';
import { simulatedWords } from '../simulated-host.js';
import { fleetStatus } from '../fleet/status.js';

export const status: Command = {
  name: 'status',
  summary: 'Show VMs and their balloons: requested, achieved, guest free memory, and whether a live change is allowed',
  usage: 'vbox-balloon status [VM...]',
  flags: {},
  acrossHosts: true,
  help: `Without VM names: every registered VM, with one metrics query for all the running ones.
With names: those VMs, and below the table why a live change is not allowed.
With several hosts (--host repeated, or --hosts FILE): every host's VMs with a HOST column; a host
that fails is reported on stderr while the others print (exit 8; the failure's own code when every
host failed).

Columns: REQUESTED is the balloon asked for (the live request while the VM runs, the default
balloon otherwise); ACHIEVED is what the guest has inflated; MAX is the largest balloon VirtualBox
accepts for the VM; BACKING is the host memory behind the VM, counted as 'host', 'plan' and
'start --make-room' count it (all of its RAM when it cannot balloon; see docs/concepts.md); "-"
means the guest does not report (VM off, no Guest Additions).

Examples:
  vbox-balloon status
  vbox-balloon status web-1 web-2
  vbox-balloon status --json | jq '.[] | select(.live.allowed) | .name'

Output (vbox-balloon status --simulate):
  NAME     STATE     RAM      REQUESTED  ACHIEVED  GUEST FREE  MAX      LIVE CHANGE
  web-1    running   4096 MB  0 MB       0 MB      3072 MB     3685 MB  yes
  spare-1  poweroff  2048 MB  0 MB       -         -           1842 MB  no: VM is poweroff`,
  async run(ctx) {
    if (ctx.fleet !== null) return fleetStatus(ctx, ctx.fleet);
    const names = ctx.args.positionals;
    const { controller, simulated } = ctx.connect();
    const statuses: BalloonStatus[] = [];
    const errors: BalloonError[] = [];
    if (names.length === 0) {
      const all = await controller.inspectAll({ signal: ctx.interrupt });
      if (all.isErr()) return reportError(ctx, all.error);
      statuses.push(...all.value);
    } else {
      for (const name of names) {
        const one = await controller.inspect(name, { signal: ctx.interrupt });
        if (one.isOk()) statuses.push(one.value);
        else errors.push(one.error);
      }
    }
    const [first] = errors;
    if (ctx.ui.json) {
      if (first !== undefined) return reportError(ctx, first, { statuses, errors });
      ctx.ui.printJson(statuses);
      return EXIT.ok;
    }
    if (statuses.length > 0) ctx.ui.print(renderStatus(statuses.map((status) => ({ status })), names.length > 0, ctx.ui.out));
    if (simulated !== undefined) ctx.ui.print(simulatedWords(simulated));
    else if (names.length === 0) ctx.ui.note('No VMs are registered.');
    if (first === undefined) return EXIT.ok;
    for (const e of errors.slice(1)) reportError(ctx, e);
    return reportError(ctx, first);
  },
};
