// What gets past an error, as data: the SDK words it one way (in `message`), the CLI another (commands and flags).
import { show } from './format.js';

/** What to do with an option a fix names: name it (`Invalid X`), lower it, raise it, fix it, pass it (or pass it `true`), or leave it out. */
export type FixVerb = 'name' | 'lower' | 'raise' | 'fix' | 'pass' | 'pass-true' | 'leave-out';

/** One thing to do (or the option meant), as data. A program can act on it; a person reads it in `message`. */
export type FixStep =
  | {
      /** Set the live balloon of a running VM (`setBalloon`). */
      readonly kind: 'set-live-balloon';
      /** The VM, as the caller named it. */
      readonly vm: string;
      /** The size asked for, in MB, when known. */
      readonly sizeMb: number | null;
    }
  | {
      /** Set the default balloon of a VM that is off (`setDefaultBalloon`). */
      readonly kind: 'set-default-balloon';
      /** The VM, as the caller named it. */
      readonly vm: string;
      /** The size asked for, in MB, when known. */
      readonly sizeMb: number | null;
    }
  | {
      /** Turn large pages off, with the VM off (`disableLargePages`). */
      readonly kind: 'disable-large-pages';
      /** The VM, as the caller named it. */
      readonly vm: string;
    }
  | {
      /** Turn Page Fusion on or off, with the VM off (`prepare(vm, { pageFusion })`). */
      readonly kind: 'set-page-fusion';
      /** The VM, as the caller named it. */
      readonly vm: string;
      /** On or off. */
      readonly on: boolean;
    }
  | {
      /** Read the VM again to see whether a change cut short was applied (`inspect`). */
      readonly kind: 'inspect';
      /** The VM, when one is concerned. */
      readonly vm: string | null;
    }
  | {
      /** Make the same call again. */
      readonly kind: 'retry';
    }
  | {
      /** What stopped the call: the caller's `AbortSignal`. */
      readonly kind: 'abort-signal';
    }
  | {
      /** Stop the autopilot that runs (`handle.stop()`, then `await handle.done`). */
      readonly kind: 'stop-autopilot';
    }
  | {
      /** An option (or argument) of the call, by its SDK name or path, for example `keepGuestFreeMb` or `options.megabytes`. */
      readonly kind: 'option';
      /** The option's SDK name or path. */
      readonly option: string;
      /** What to do with it. */
      readonly verb: FixVerb;
    };

/**
 * The part of an error's `message` that names SDK calls or options, as a template and its steps: `text` holds `{0}`,
 * `{1}`, … where each step goes (and `{{`, `}}` for a brace of its own, as a VM name or a path may hold). `message` contains `fixText(fix, sdkStepWords)`; another front end (the CLI) puts
 * its own words for the same steps in that place.
 */
export interface ErrorFix {
  /** The words around the steps, with `{0}`, `{1}`, … for them. */
  readonly text: string;
  /** The steps, in the order of their placeholders. */
  readonly steps: readonly FixStep[];
}

const VERB: Readonly<Record<FixVerb, (option: string) => string>> = {
  name: (o) => o,
  lower: (o) => `lower ${o}`,
  raise: (o) => `raise ${o}`,
  fix: (o) => `fix the ${o} option`,
  pass: (o) => `pass ${o}`,
  'pass-true': (o) => `pass ${o}: true`,
  'leave-out': (o) => `leave ${o} out`,
};

/** A step in the SDK's words: `call setDefaultBalloon('spare-1', 512)`, `lower keepGuestFreeMb`, … */
export function sdkStepWords(step: FixStep): string {
  switch (step.kind) {
    case 'set-live-balloon':
      return `call setBalloon(${show(step.vm)}, ${step.sizeMb ?? 'n'})`;
    case 'set-default-balloon':
      return `call setDefaultBalloon(${show(step.vm)}, ${step.sizeMb ?? 'n'})`;
    case 'disable-large-pages':
      return `call disableLargePages(${show(step.vm)})`;
    case 'set-page-fusion':
      return `prepare(${show(step.vm)}, { pageFusion: ${step.on} })`;
    case 'inspect':
      return 'call inspect';
    case 'retry':
      return 'call again';
    case 'abort-signal':
      return "the caller's signal";
    case 'stop-autopilot':
      return 'handle.stop(), then await handle.done';
    case 'option':
      return VERB[step.verb](step.option);
  }
}

/** The fix's text with each step in the words `say` gives it. */
export function fixText(fix: ErrorFix, say: (step: FixStep) => string): string {
  return fix.text.replace(/\{\{|\}\}|\{(\d+)\}/gu, (whole, n: string | undefined) => {
    if (n === undefined) return whole[0] ?? '';
    const step = fix.steps[Number(n)];
    return step === undefined ? whole : say(step);
  });
}

/** A value put into a fix's text as it is: its braces doubled. @internal */
export function lit(value: string): string {
  return value.replace(/[{}]/gu, '$&$&');
}

/** A fix, frozen, from its text and steps. @internal */
export function makeFix(text: string, ...steps: FixStep[]): ErrorFix {
  return Object.freeze({ text, steps: Object.freeze(steps.map((s) => Object.freeze({ ...s }))) });
}

/** The fix in the SDK's words, as the message carries it. @internal */
export function sdkFix(fix: ErrorFix): string {
  return fixText(fix, sdkStepWords);
}

/** A step naming an option. @internal */
export function option(name: string, verb: FixVerb = 'name'): FixStep {
  return { kind: 'option', option: name, verb };
}

/** The fix of a message part (`text` with `{0}`, … for `steps`), and that part in the SDK's words. @internal */
export function fixed(text: string, ...steps: FixStep[]): { readonly fix: ErrorFix; readonly words: string } {
  const fix = makeFix(text, ...steps);
  return { fix, words: sdkFix(fix) };
}
