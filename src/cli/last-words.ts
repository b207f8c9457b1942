// What a command says when a second signal ends the process at once: the balloons it changed and did not put back
// (a rollback cut short), so that the person at the terminal knows what is left, and where it was kept.
import type { BalloonChange, RoomTaken, SettingsChange } from '../index.js';
import { renderChange } from './render-change.js';
import type { Ui } from './ui.js';

/** The live balloons this run changed that are not back where they were: first `from`, last `to`, per VM. */
export function liveBalloonsLeft(changes: readonly (BalloonChange | SettingsChange)[]): RoomTaken[] {
  const net = new Map<string, RoomTaken>();
  for (const c of changes) {
    if (c.kind !== 'live' || c.dryRun) continue;
    const before = net.get(c.uuid);
    net.set(c.uuid, { vm: c.vm, uuid: c.uuid, fromMb: before?.fromMb ?? c.fromMb, toMb: c.toMb });
  }
  return [...net.values()].filter((t) => t.toMb !== t.fromMb);
}

/** Every change made so far, when the run is ended at once (any command but a start with room, which keeps a record). */
export function sayChangesMade(ui: Ui, changes: readonly (BalloonChange | SettingsChange)[]): void {
  const made = changes.filter((c) => !c.dryRun && c.commands.length > 0);
  if (made.length === 0) return;
  ui.failure(`stopped at once; the changes made so far (the last may not have been put back), newest last:`);
  for (const c of made) ui.writeErr(`  ${renderChange(c, false)}\n`);
}
