import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { fleetHost } from '../fleet/host.js';
import { stringFlag } from '../parse-command-line.js';
import { fullRamLines, memoryWords, osWords } from '../render-host.js';
import { reportError } from '../report-error.js';
import { simulatedWords } from '../simulated-host.js';
import { budgetFlag, isUsage } from '../sizes.js';

export const host: Command = {
  name: 'host',
  summary: 'Say whether this host can balloon guest memory, and how much memory backs its guests',
  usage: 'vbox-balloon host [--budget SIZE|PERCENT]',
  flags: { budget: { type: 'string' } },
  acrossHosts: true,
  help: `Reads 'VBoxManage list hostinfo', 'VBoxManage --version' and every VM (showvminfo each, one metrics
query). Exits 0 when the host can balloon, 3 when it cannot (VirtualBox balloons only on 64-bit
Windows, Linux, Solaris and FreeBSD hosts).
Memory is counted as everywhere else (plan, start --make-room, status, the metrics): a running VM
is backed with its RAM minus its balloon, one that cannot balloon (large pages, no Guest Additions,
no statistics) or that is starting, stopping or stuck with all of its RAM; see docs/concepts.md.
With several hosts (--host repeated, or --hosts FILE): one row per host.

Flags:
  --budget SIZE|PERCENT   The budget the headroom is counted under (default 80% of host RAM)

Examples:
  vbox-balloon host
  vbox-balloon host --json | jq .memory.headroomMb

Output (vbox-balloon host --simulate):
  Host:         Linux 6.8.0, 32768 MB RAM (3627 MB available)
  VirtualBox:   7.1.4r165100
  Ballooning:   supported
  Memory:       backing 28672 MB of a 26214 MB budget, headroom 0 MB (2458 MB over); the guests could give 7424 MB
  db-1: large pages are on: it cannot balloon, so all of its RAM (8192 MB) counts`,
  async run(ctx) {
    if (ctx.args.positionals.length > 0) return ctx.usage(`unexpected argument ${JSON.stringify(ctx.args.positionals[0])}`);
    const budget = budgetFlag(ctx, stringFlag(ctx.args, 'budget'));
    if (isUsage(budget)) return budget;
    if (ctx.fleet !== null) return fleetHost(ctx, ctx.fleet, budget);
    const { controller, simulated } = ctx.connect();
    const support = await controller.hostSupport({ signal: ctx.interrupt });
    if (support.isErr()) return reportError(ctx, support.error);
    const version = await controller.client.version({ signal: ctx.interrupt });
    if (version.isErr()) return reportError(ctx, version.error);
    const memory = await controller.memory({ ...budget, signal: ctx.interrupt });
    if (memory.isErr()) return reportError(ctx, memory.error);
    const h = support.value;
    const code = h.supported ? EXIT.ok : EXIT.refused;
    if (ctx.ui.json) {
      ctx.ui.printJson({ ...h, vboxManageVersion: version.value, memory: memory.value, ...(simulated === undefined ? {} : { simulated: true }) });
      return code;
    }
    const { out } = ctx.ui;
    ctx.ui.print(
      [
        `Host:         ${simulated === undefined ? '' : 'simulated host, '}${osWords(h)}, ${h.memoryMb} MB RAM (${h.memoryAvailableMb} MB available)`,
        `VirtualBox:   ${version.value.raw}`,
        `Ballooning:   ${h.supported ? out.green('supported') : `${out.red('NOT supported')}: ${h.reasons.join('; ')}`}`,
        `Memory:       ${memoryWords(memory.value)}`,
        ...fullRamLines(memory.value),
        ...(simulated === undefined ? [] : [simulatedWords(simulated)]),
      ].join('\n'),
    );
    return code;
  },
};
