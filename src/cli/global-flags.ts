// Flags every command takes.
import type { FlagSpec } from './command.js';

/** The global flags, declared once for parseArgs. */
export const GLOBAL_FLAGS: Readonly<Record<string, FlagSpec>> = {
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  'no-color': { type: 'boolean' },
  vboxmanage: { type: 'string' },
  host: { type: 'string', multiple: true },
  hosts: { type: 'string', multiple: true },
  'ssh-config': { type: 'string' },
  simulate: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
};

/** The global flags in the overview (`vbox-balloon --help`). */
export const GLOBAL_SUMMARY = `Global flags (every command):
  --json  -q, --quiet  -v, --verbose  --no-color  --simulate  --vboxmanage PATH
  --host ssh://USER@HOST[:PORT]  --hosts FILE  --ssh-config FILE  -h, --help  -V, --version`;

/** The global flags' help, shown under every command's help. */
export const GLOBAL_HELP = `Global flags:
  --json             Print the SDK's result object as JSON on stdout (errors as {"error": {...}})
  -q, --quiet        Print only results and errors: no progress, warnings or change summaries
  -v, --verbose      Print every VBoxManage command run, on stderr
      --no-color     No colour (also: NO_COLOR set, or output not a terminal)
      --vboxmanage PATH
                     The VBoxManage executable (default: $VBOXMANAGE_PATH, then PATH, then the
                     standard install places)
      --host ssh://USER@HOST[:PORT]
                     Run VBoxManage on that host over OpenSSH (keys and host keys as your ssh
                     configuration says; see docs/remote.md). --vboxmanage is then the remote path.
                     Repeat it for several hosts
      --hosts FILE   The hosts in FILE, one a line: "[NAME] ssh://USER@HOST[:PORT]", # comments.
                     With several hosts or a hosts file, status, host, plan and autopilot run on
                     every host (a HOST column, "host" in JSON); commands that change VMs take one
      --ssh-config FILE
                     The ssh client configuration for --host and --hosts (identity, known hosts)
      --simulate     Run against a simulated host with a small demo fleet instead of VirtualBox
  -h, --help         Help for the command
  -V, --version      The version of vbox-balloon`;
