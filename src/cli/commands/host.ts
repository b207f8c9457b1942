import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { fleetHost } from '../fleet/host.js';
import { osWords } from '../render-host.js';
import { reportError } from '../report-error.js';

export const host: Command = {
  name: 'host',
  summary: 'Say whether this host can balloon guest memory, and why not',
  usage: 'vbox-balloon host',
  flags: {},
  acrossHosts: true,
  help: `Reads 'VBoxManage list hostinfo' and 'VBoxManage --version'. Exits 0 when the host can balloon,
3 when it cannot (VirtualBox balloons only on 64-bit Windows, Linux, Solaris and FreeBSD hosts).
With several hosts (--host repeated, or --hosts FILE): one row per host.

Examples:
  vbox-balloon host
  vbox-balloon host --json | jq .supported

Output:
  Host:         Linux 6.8.0, 32768 MB RAM (21504 MB available)
  VirtualBox:   7.0.10r158379
  Ballooning:   supported`,
  async run(ctx) {
    if (ctx.fleet !== null) return fleetHost(ctx, ctx.fleet);
    const { controller } = ctx.connect();
    const support = await controller.hostSupport({ signal: ctx.interrupt });
    if (support.isErr()) return reportError(ctx, support.error);
    const version = await controller.client.version({ signal: ctx.interrupt });
    if (version.isErr()) return reportError(ctx, version.error);
    const h = support.value;
    const code = h.supported ? EXIT.ok : EXIT.refused;
    if (ctx.ui.json) {
      ctx.ui.printJson({ ...h, vboxManageVersion: version.value });
      return code;
    }
    const { out } = ctx.ui;
    ctx.ui.print(
      [
        `Host:         ${osWords(h)}, ${h.memoryMb} MB RAM (${h.memoryAvailableMb} MB available)`,
        `VirtualBox:   ${version.value.raw}`,
        `Ballooning:   ${h.supported ? out.green('supported') : `${out.red('NOT supported')}: ${h.reasons.join('; ')}`}`,
      ].join('\n'),
    );
    return code;
  },
};
