// Which hosts a command line names: every --host, and every line of every --hosts file, as one list. A host named
// twice the same way is one host; one name for two targets, or one target under two names, is refused.
import { err, ok, type Result } from 'neverthrow';
import { hostEntry, readHostsFile, sameHostName, type HostEntry } from './hosts-file.js';

/** The hosts to run on. */
export interface HostSelection {
  /** `--host` ones first, in order, then each hosts file's, in file order. Empty: this machine. */
  readonly hosts: readonly HostEntry[];
  /** Several hosts, or a hosts file (even of one host): commands print per host, and only fleet commands run. */
  readonly fleet: boolean;
}

// Add a host to the list, unless it is there already: the same name for the same target, or the same target
// under a name made from it (`--host ssh://vbox@lab-1` next to `lab-1 ssh://vbox@lab-1` in a file).
function addHost(hosts: HostEntry[], e: HostEntry): Result<void, string> {
  const sameName = hosts.find((h) => sameHostName(h.name, e.name));
  if (sameName?.key === e.key) return ok(undefined);
  if (sameName !== undefined) {
    return err(`two hosts are called ${JSON.stringify(e.name)}: ${sameName.target} (${sameName.from}) and ${e.target} (${e.from}); give them their own names in a hosts file`);
  }
  const at = hosts.findIndex((h) => h.key === e.key);
  const sameTarget = hosts[at];
  if (sameTarget === undefined) hosts.push(e);
  else if (!e.named) return ok(undefined);
  else if (!sameTarget.named) hosts[at] = e;
  else return err(`${e.target} is named twice: ${JSON.stringify(sameTarget.name)} (${sameTarget.from}) and ${JSON.stringify(e.name)} (${e.from}); list each host once`);
  return ok(undefined);
}

/** The hosts of `--host TARGET...` and `--hosts FILE...`, or why the command line cannot be run (a usage error). */
export async function selectHosts(targets: readonly string[], files: readonly string[]): Promise<Result<HostSelection, string>> {
  const named: HostEntry[] = [];
  for (const target of targets) {
    const e = hostEntry(target, '--host');
    if (e.isErr()) return err(`--host ${JSON.stringify(target)} is not a host; use e.g. ssh://vbox@lab-1:22`);
    named.push(e.value);
  }
  for (const file of files) {
    const read = await readHostsFile(file);
    if (read.isErr()) return err(read.error);
    named.push(...read.value);
  }
  const hosts: HostEntry[] = [];
  for (const e of named) {
    const added = addHost(hosts, e);
    if (added.isErr()) return err(added.error);
  }
  return ok({ hosts, fleet: files.length > 0 || hosts.length > 1 });
}
