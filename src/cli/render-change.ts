// One line for a balloon or settings change, the way an operator reads it.
import type { BalloonChange, SettingsChange } from '../index.js';
import { commandLine, safe } from './text.js';

const onOff = (v: boolean | null): string => (v === null ? 'unknown' : v ? 'on' : 'off');

/** `web-1: live balloon 0 MB -> 1024 MB` (or `would change …` under a dry run), with the commands below. */
export function renderChange(change: BalloonChange | SettingsChange, showCommands: boolean): string {
  const what =
    change.kind === 'settings'
      ? [
          ...(change.largePages === undefined ? [] : [`large pages ${change.largePages.from ? 'on' : 'off'} -> ${change.largePages.to ? 'on' : 'off'}`]),
          ...(change.defaultBalloonMb === undefined ? [] : [`default balloon ${change.defaultBalloonMb.from} MB -> ${change.defaultBalloonMb.to} MB`]),
          ...(change.pageFusion === undefined ? [] : [`page fusion ${onOff(change.pageFusion.from)} -> ${onOff(change.pageFusion.to)}`]),
        ].join(', ') || 'already prepared, nothing to change'
      : `${change.kind} balloon ${change.fromMb} MB -> ${change.toMb} MB`;
  const head = `${safe(change.vm)}: ${change.dryRun && change.commands.length > 0 ? `would change ${what} (dry run, nothing changed)` : what}`;
  if (!showCommands || change.commands.length === 0) return head;
  return [head, ...change.commands.map((argv) => `  ${commandLine(argv)}`)].join('\n');
}
