// SDK errors in the CLI's words: the steps of each error's fix (data, see ErrorFix) said with commands and flags
// where the SDK's message says calls and options. The rest of the message is the SDK's own.
import { fixText, sdkStepWords, type BalloonError, type ErrorFix, type FixStep } from '../index.js';
import { shellArg } from './text.js';

// SDK option names (the last part of a path such as options.wait.timeoutMs, or the whole path) and the CLI's words
// for them; `null` when the CLI has no flag for it.
const FLAGS: Readonly<Record<string, string | null>> = {
  keepGuestFreeMb: '--keep-free',
  keepGuestFreePercent: '--keep-free-percent',
  overheadMb: '--overhead',
  budgetMb: '--budget SIZE',
  budgetPercent: '--budget PERCENT',
  vboxManagePath: '--vboxmanage',
  waitTimeoutMs: '--wait-timeout',
  startTimeoutMs: null,
  pageFusion: '--page-fusion',
  megabytes: 'SIZE',
  sizeMb: 'SIZE',
  vm: 'VM',
  from: '--from',
  type: '--type',
  dryRun: '--dry-run',
  force: '--force',
  identityFile: 'IdentityFile (in the --ssh-config file)',
  configFile: '--ssh-config',
  'wait.timeoutMs': '--wait TIMEOUT',
  pollMs: '--poll',
  toleranceMb: '--tolerance',
  maxChangeMb: '--max-change',
  deadbandMb: '--deadband',
  guestMinFreeMb: '--guest-min-free',
  incrementMb: '--increment',
  decrementMb: '--decrement',
  lowerLimitMb: '--lower-limit',
  maxBalloonMb: '--balloon-max',
  safetyMarginMb: '--safety-margin',
  intervalMs: '--interval',
  maxTicks: '--max-ticks',
  timeoutMs: null,
};

/** The CLI's words for an SDK option or argument path: its flag, or plain words when the CLI has none. */
export function flagFor(option: string): string | null {
  const path = option.replace(/^(?:options|ssh|policy)\./u, '');
  const last = path.split('.').pop() ?? path;
  for (const key of [path, last]) if (key in FLAGS) return FLAGS[key] ?? null;
  // An option the table does not know: its name in words (`fooBarMb` is "foo bar (MB)"), never the SDK identifier.
  return last.replace(/Mb$/u, ' (MB)').replace(/Ms$/u, ' (ms)').replace(/([a-z])([A-Z])/gu, '$1 $2').toLowerCase();
}

const run = (words: string): string => `run '${words}'`;

/** A step of a fix in the CLI's words: commands to run and flags to change. */
export function cliStepWords(step: FixStep): string {
  switch (step.kind) {
    case 'set-live-balloon':
      return run(`vbox-balloon set ${shellArg(step.vm)} ${step.sizeMb ?? 'SIZE'}`);
    case 'set-default-balloon':
      return run(`vbox-balloon default ${shellArg(step.vm)} ${step.sizeMb ?? 'SIZE'}`);
    case 'disable-large-pages':
      return run(`vbox-balloon prepare ${shellArg(step.vm)}`);
    case 'set-page-fusion':
      return run(`vbox-balloon prepare ${shellArg(step.vm)} --page-fusion ${step.on ? 'on' : 'off'}`);
    case 'inspect':
      return run(step.vm === null ? 'vbox-balloon status' : `vbox-balloon status ${shellArg(step.vm)}`);
    case 'retry':
      return 'run the command again';
    case 'abort-signal':
      return 'Ctrl-C (or a signal)';
    case 'stop-autopilot':
      return 'Ctrl-C where it runs';
    case 'option': {
      const flag = flagFor(step.option);
      if (flag === null) return step.verb === 'raise' ? 'try again once it answers' : sdkStepWords(step);
      return { name: flag, lower: `lower ${flag}`, raise: `raise ${flag}`, fix: `fix the ${flag} option`, pass: `pass ${flag}`, 'pass-true': `pass ${flag}`, 'leave-out': `leave ${flag} out` }[step.verb];
    }
  }
}

function isFix(v: unknown): v is ErrorFix {
  return typeof v === 'object' && v !== null && typeof (v as { text?: unknown }).text === 'string' && Array.isArray((v as { steps?: unknown }).steps);
}

/** Every fix an error carries, its own and those of the errors it holds (blockers, a cause, rollback errors). */
export function fixesIn(value: unknown, seen = new Set<unknown>()): ErrorFix[] {
  if (typeof value !== 'object' || value === null || seen.has(value)) return [];
  seen.add(value);
  const own = isFix((value as { fix?: unknown }).fix) ? [(value as { fix: ErrorFix }).fix] : [];
  return [...own, ...Object.entries(value).flatMap(([k, v]) => (k === 'fix' ? [] : fixesIn(v, seen)))];
}

/** A text that carries these fixes (in the SDK's words), with each said in the CLI's words instead. */
export function cliText(text: string, fixes: readonly ErrorFix[]): string {
  let out = text;
  for (const f of fixes) out = out.split(fixText(f, sdkStepWords)).join(fixText(f, cliStepWords));
  return out;
}

/** An SDK error's message in the CLI's words. */
export function cliMessage(e: BalloonError | { readonly code: string; readonly message: string }): string {
  const text = cliText(e.message, fixesIn(e));
  // Nothing to run here: a person trying the CLI out can use the simulated host.
  if (e.code === 'VBOXMANAGE_NOT_FOUND' && 'source' in e && e.source !== 'remote') return `${text} To try vbox-balloon without VirtualBox, add --simulate.`;
  return text;
}
