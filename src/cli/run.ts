// The runner: find the command, check its command line, run it, and turn the outcome into an exit code.
import type { Command, CommandContext } from './command.js';
import { COMMANDS } from './commands/index.js';
import { connect, type Connection } from './connect.js';
import { EXIT } from './exit-codes.js';
import { connectFleet, type FleetConnection } from './fleet/connect-fleet.js';
import { selectHosts } from './fleet/host-targets.js';
import type { HostEntry } from './fleet/hosts-file.js';
import { GLOBAL_HELP, GLOBAL_SUMMARY } from './global-flags.js';
import { overviewHelp, commandHelp } from './help.js';
import type { Io } from './io.js';
import { boolFlag, closest, findCommand, parseFlags, stringFlag, stringList, wantsHelp } from './parse-command-line.js';
import { Ui } from './ui.js';
import { usageError, type UsageError } from './usage-error.js';
import { sayChangesMade } from './last-words.js';
import { stateDir } from './state-dir.js';

/** Signals the runner turns into an AbortSignal for the command; the caller wires the process's signals to it. */
export interface Interrupts {
  /** The first Ctrl-C, SIGTERM, SIGHUP or SIGQUIT. */
  readonly signal: AbortSignal;
  /** Aborted when stdout's reader has gone (a closed pipe): a command that only prints stops as on Ctrl-C. */
  readonly stdoutClosed?: AbortSignal;
  /** Register what to say when a second signal ends the process at once; returns the way to unregister it. */
  readonly onExit?: (say: () => void) => () => void;
  /** Take SIGHUP over (a reload): while a listener is registered, SIGHUP calls it instead of winding down. */
  readonly onHangup?: (listener: () => void) => () => void;
}

/** Run `vbox-balloon` with `argv` (without node and the script); resolves to the exit code. */
export async function run(argv: readonly string[], io: Io, interrupts: Interrupts, version: string): Promise<number> {
  const { name, rest } = findCommand(argv);
  const globalOnly = parseFlags(name === null ? argv : [], {});
  // Output flags are read leniently first, so that even a usage error honours --json and --no-color.
  const ui = new Ui(io, {
    json: argv.includes('--json'),
    quiet: argv.includes('--quiet') || argv.includes('-q'),
    verbose: argv.includes('--verbose') || argv.includes('-v'),
    noColor: argv.includes('--no-color'),
  });
  const fail = (e: UsageError): number => {
    ui.usage(e);
    return EXIT.usage;
  };

  if (name === null) {
    if ('problem' in globalOnly) return fail(usageError(globalOnly.problem, 'vbox-balloon COMMAND [flags]', null));
    if (boolFlag(globalOnly, 'version')) {
      if (ui.json) ui.printJson({ name: 'vbox-balloon', version });
      else ui.print(`vbox-balloon ${version}`);
      return EXIT.ok;
    }
    ui.print(overviewHelp(COMMANDS, GLOBAL_SUMMARY));
    return EXIT.ok;
  }
  if (name === 'help') {
    const topic = rest.find((a) => !a.startsWith('-'));
    const cmd = COMMANDS.find((c) => c.name === topic);
    if (topic === undefined) ui.print(overviewHelp(COMMANDS, GLOBAL_SUMMARY));
    else if (cmd === undefined) return fail(unknownCommand(topic));
    else ui.print(commandHelp(cmd, GLOBAL_HELP));
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) return fail(unknownCommand(name));
  if (wantsHelp(rest)) {
    ui.print(commandHelp(command, GLOBAL_HELP));
    return EXIT.ok;
  }
  const parsed = parseFlags(rest, command.flags);
  const usage = (message: string): UsageError => usageError(message, command.usage, command.name);
  if ('problem' in parsed) return fail(usage(parsed.problem));
  if (boolFlag(parsed, 'version')) {
    ui.print(`vbox-balloon ${version}`);
    return EXIT.ok;
  }
  const vboxManagePath = stringFlag(parsed, 'vboxmanage');
  if (vboxManagePath === '') return fail(usage('--vboxmanage needs the path of the VBoxManage executable'));
  const simulate = boolFlag(parsed, 'simulate');
  const hostsFiles = stringList(parsed, 'hosts');
  const selection = await selectHosts(stringList(parsed, 'host'), hostsFiles);
  if (selection.isErr()) return fail(usage(selection.error));
  const { hosts, fleet } = selection.value;
  if (hosts.length > 0 && simulate) return fail(usage(`--${hostsFiles.length > 0 ? 'hosts' : 'host'} and --simulate do not go together`));
  if (fleet && command.acrossHosts !== true) return fail(usage(oneHostOnly(command.name, hosts)));
  const sshConfig = stringFlag(parsed, 'ssh-config');
  if (sshConfig !== undefined && hosts.length === 0) return fail(usage('--ssh-config only applies with --host or --hosts'));
  const dir = stateDir(stringFlag(parsed, 'state-dir'), io.env);
  let connection: Connection | undefined;
  let fleetConnection: FleetConnection | undefined;
  // Ended at once by a second signal: the command's own last words (a start's record), else every change made so far.
  let lastWords: (() => void) | null = null;
  const unregister = interrupts.onExit?.(() => {
    if (lastWords !== null) lastWords();
    else if (connection !== undefined) sayChangesMade(ui, connection.changes);
  });
  const closed = interrupts.stdoutClosed;
  const ctx: CommandContext = {
    args: parsed,
    ui,
    interrupt: command.printsUntilStopped === true && closed !== undefined ? AbortSignal.any([interrupts.signal, closed]) : interrupts.signal,
    onExit: (say) => {
      lastWords = say;
      return () => {
        if (lastWords === say) lastWords = null;
      };
    },
    onHangup: (listener) => interrupts.onHangup?.(listener) ?? (() => undefined),
    env: io.env,
    usage,
    commands: COMMANDS,
    version,
    stateDir: dir,
    connect: () => (connection ??= connect({ vboxManagePath, host: hosts[0]?.target, sshConfig, simulate, stateDir: dir }, ui)),
    fleet: fleet ? () => (fleetConnection ??= connectFleet(hosts, { vboxManagePath, sshConfig }, ui)) : null,
  };
  try {
    const outcome = await runCommand(command, ctx);
    return typeof outcome === 'number' ? outcome : fail(outcome);
  } finally {
    unregister?.();
    await connection?.close();
    await fleetConnection?.close();
  }
}

async function runCommand(command: Command, ctx: CommandContext): Promise<number | UsageError> {
  return command.run(ctx);
}

// A change is made on one host: several hosts would make one command line change VMs on all of them at once.
function oneHostOnly(command: string, hosts: readonly HostEntry[]): string {
  const names = hosts.slice(0, 4).map((h) => h.name).join(', ') + (hosts.length > 4 ? `, and ${hosts.length - 4} more` : '');
  return `${command} changes VMs on one host at a time: pass a single --host, not --hosts or several --host (this command line names ${names}); status, host, plan, autopilot, start and give-back run across hosts`;
}

function unknownCommand(name: string): UsageError {
  const guess = closest(name, COMMANDS.map((c) => c.name));
  const hint = guess === null ? '' : ` (did you mean '${guess}'?)`;
  return usageError(`unknown command ${JSON.stringify(name)}${hint}`, 'vbox-balloon COMMAND [flags]', null);
}
