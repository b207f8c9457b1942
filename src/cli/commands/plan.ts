import type { TickEvent } from '../../index.js';
import type { Command } from '../command.js';
import { readSettings } from '../config/load-settings.js';
import { EXIT } from '../exit-codes.js';
import { fleetPlan } from '../fleet/plan.js';
import { POLICY_FLAGS, POLICY_HELP } from '../policy-flags.js';
import { planTable } from '../render-tick.js';
import { reportError } from '../report-error.js';
import { isUsage } from '../sizes.js';
import { cliMessage } from '../error-words.js';

export const plan: Command = {
  name: 'plan',
  summary: 'Plan one autopilot tick without applying it: every running VM with what it would get and why',
  usage: 'vbox-balloon plan [--config FILE] [--policy budget|balloonctrl] [policy flags]',
  flags: POLICY_FLAGS,
  acrossHosts: true,
  help: `Looks at the running VMs exactly as the autopilot does and prints its decision for each, those left
alone included, with the reason. Nothing is changed. Use it to tune a policy before trusting it.
With several hosts (--host repeated, or --hosts FILE): one plan per host, each against its own host.

${POLICY_HELP}

Examples:
  vbox-balloon plan --policy budget --budget 75%
  vbox-balloon plan --policy balloonctrl --config limits.json
  vbox-balloon plan --policy budget --json | jq '.plan.entries[] | select(.deltaMb != 0)'

Output (the fleet's reason once, each VM's own wrapped at 80 columns; --json has every whole reason):
  Policy budget: backing 24576 -> 24476 MB of 26214 MB budget
  Fleet: backing 24576 MB is ... over the budget ...
  VM     NOW   PLAN    DELTA  WHY
  web-1  0 MB  100 MB  +100   inflating by 100 MB: ...`,
  async run(ctx) {
    if (ctx.args.positionals.length > 0) return ctx.usage(`unexpected argument ${JSON.stringify(ctx.args.positionals[0])}`);
    // The policy and limits of --config FILE (a settings file, or a 0.1 limits file), flags over it.
    const read = await readSettings(ctx);
    if (isUsage(read) || typeof read === 'number') return read;
    const { policy, limits: given } = read.settings.setup;
    const limits = given === undefined ? undefined : { limits: given };
    if (ctx.fleet !== null) return fleetPlan(ctx, ctx.fleet, { policy, limits: limits?.limits });
    const { controller } = ctx.connect();
    let tick: TickEvent | undefined;
    const started = controller.autopilot({
      policy,
      dryRun: true,
      maxTicks: 1,
      signal: ctx.interrupt,
      ...(limits === undefined ? {} : { limits: limits.limits }),
      onTick: (e) => {
        tick = e;
      },
    });
    if (started.isErr()) return reportError(ctx, started.error);
    await started.value.done;
    const event = tick;
    if (event === undefined) return EXIT.interrupted;
    const whole = event.plan === null ? event.errors[0]?.error : undefined;
    if (whole !== undefined) return reportError(ctx, whole, { tick: event });
    if (ctx.ui.json) ctx.ui.printJson(event);
    else {
      ctx.ui.print(planTable(event, ctx.ui.out));
      for (const f of event.errors) ctx.ui.warn(f.vm, cliMessage(f.error));
    }
    return EXIT.ok;
  },
};
