// The overview and each command's --help.
import type { Command } from './command.js';

/** `vbox-balloon --help`. */
export function overviewHelp(commands: readonly Command[], globalSummary: string): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `vbox-balloon: VirtualBox guest memory ballooning from the shell

usage: vbox-balloon COMMAND [flags]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

The three to start with:
  vbox-balloon status                 every VM's balloon, and whether it can change now
  vbox-balloon set web-1 1G --wait    inflate web-1's balloon to 1 GB and watch the guest
  vbox-balloon restore                give every running guest its memory back

${globalSummary}

Sizes: 512 (MB), 512M, 2G, and for set/default 25% (of the VM's RAM). Durations: 500ms, 30s, 2m.
Try any command without VirtualBox: add --simulate. Other hosts: --host ssh://USER@HOST[:PORT]
(repeat it, or list them in a file with --hosts FILE; status, host, plan and autopilot run on each).
Exit codes: 0 ok, 2 usage, 3 refused, 4 VBoxManage failed, 5 timeout, 6 wait ended early,
7 VM not found, 8 partly done (also: some hosts failed), 9 ssh failed, 130 interrupted (see docs/cli.md).
Run 'vbox-balloon COMMAND --help' for a command's flags and examples.`;
}

/** `vbox-balloon COMMAND --help`. */
export function commandHelp(command: Command, globalHelp: string): string {
  return `${command.summary}

usage: ${command.usage}

${command.help.trim()}

${globalHelp}`;
}
