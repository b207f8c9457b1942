import type { Command, CommandContext } from '../command.js';
import type { UsageError } from '../usage-error.js';
import { EXIT } from '../exit-codes.js';
import { resetSimulatedHost, simulatedDir } from '../simulated-host.js';

export const simulate: Command = {
  name: 'simulate',
  summary: 'Manage the simulated host behind --simulate: `simulate reset` starts it over from the demo fleet',
  usage: 'vbox-balloon simulate reset [--state-dir DIR]',
  flags: { 'state-dir': { type: 'string' } },
  help: `The simulated host that --simulate runs against remembers between runs, as a real host would: a
balloon set in one run is there in the next, a VM started with --make-room can be given back later,
and simulated time moves on by the time between runs (at most 10 minutes). It is kept in the state
directory (simulated/host.json), with the records of simulated starts beside it, apart from the
real host's.

  reset   Forget the simulated host and its records: the next --simulate run starts from the demo
          fleet (six VMs on a 32 GB Linux host).

Flags:
  --state-dir DIR    The state directory (default $VBOX_BALLOON_STATE_DIR, else
                     $XDG_STATE_HOME/vbox-balloon, else ~/.local/state/vbox-balloon)

Examples:
  vbox-balloon set web-1 1G --simulate
  vbox-balloon status web-1 --simulate
  vbox-balloon simulate reset`,
  run(ctx) {
    return Promise.resolve(reset(ctx));
  },
};

function reset(ctx: CommandContext): number | UsageError {
  const [action, ...more] = ctx.args.positionals;
  if (action === undefined) return ctx.usage('missing what to do: reset');
  if (action !== 'reset') return ctx.usage(`unknown action ${JSON.stringify(action)}: use reset`);
  if (more.length > 0) return ctx.usage(`unexpected argument ${JSON.stringify(more[0])}`);
  const dir = ctx.stateDir;
  const problem = resetSimulatedHost(dir);
  if (problem !== null) {
    ctx.ui.refusal('STATE_DIR', problem.problem);
    return EXIT.error;
  }
  if (ctx.ui.json) ctx.ui.printJson({ reset: true, dir: simulatedDir(dir) });
  else if (!ctx.ui.quiet) ctx.ui.print('The simulated host starts over from the demo fleet at the next --simulate run.');
  return EXIT.ok;
}
