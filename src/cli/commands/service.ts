import { readFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import type { Command } from '../command.js';
import { EXIT } from '../exit-codes.js';

/** The shipped unit: systemd/ at the package's root, beside dist/ (and beside the tests' build of the CLI). */
const UNIT_FILE = new URL('../systemd/vbox-balloon@.service', import.meta.url);
const SHIPPED_EXEC = '/usr/local/bin/vbox-balloon';

export const service: Command = {
  name: 'service',
  summary: 'Print the systemd unit that runs the autopilot as a service (vbox-balloon@USER.service)',
  usage: 'vbox-balloon service unit',
  flags: {},
  help: `service unit   Print the systemd template unit the package ships (systemd/vbox-balloon@.service),
               with ExecStart naming this installation's node and vbox-balloon. The instance is the
               user who owns the VMs (User=%i); its settings are /etc/vbox-balloon/USER.yaml.

Examples:
  vbox-balloon service unit > /etc/systemd/system/vbox-balloon@.service
  systemctl daemon-reload && systemctl enable --now vbox-balloon@vbox

See docs/service.md: install, reload, logs, upgrade, remove, several hosts, and moving from VBoxBalloonCtrl.`,
  async run(ctx) {
    const [sub, extra] = ctx.args.positionals;
    if (sub === undefined) return ctx.usage('missing what to do: unit');
    if (sub !== 'unit') return ctx.usage(`${JSON.stringify(sub)} is not something service does; use unit`);
    if (extra !== undefined) return ctx.usage(`unexpected argument ${JSON.stringify(extra)}`);
    let text: string;
    try {
      text = await readFile(UNIT_FILE, 'utf8');
    } catch (e) {
      ctx.ui.refusal('UNIT_MISSING', `The unit file that comes with vbox-balloon cannot be read (${(e as { code?: string }).code ?? String(e)}); reinstall the package.`);
      return EXIT.error;
    }
    ctx.ui.print(text.replace(`ExecStart=${SHIPPED_EXEC} `, `ExecStart=${execStart()} `));
    return EXIT.ok;
  },
};

// This installation, as systemd must start it: node by its absolute path (a service has no login PATH), then the
// CLI's own file. A path with a space or a systemd specifier could not be written plainly: then the shipped line.
function execStart(): string {
  const script = process.argv[1];
  if (script === undefined) return SHIPPED_EXEC;
  let real: string;
  try {
    real = realpathSync(script);
  } catch {
    return SHIPPED_EXEC;
  }
  const plain = (p: string): boolean => /^\/[A-Za-z0-9._/+-]+$/u.test(p);
  return plain(process.execPath) && plain(real) ? `${process.execPath} ${real}` : SHIPPED_EXEC;
}
