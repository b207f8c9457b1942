// What give-back does once it has the records (on one host, or the host a fleet's record names): merge them, give
// back (with --force and --delete), drop the records when all is done, print, and the exit code.
import type { BalloonController } from '../index.js';
import type { CommandContext } from './command.js';
import { EXIT } from './exit-codes.js';
import { boolFlag } from './parse-command-line.js';
import { reportError } from './report-error.js';
import { dropRoom, mergeRooms, type RoomFile } from './room-store.js';
import { safe, safeLine } from './text.js';

// A failure of the CLI's own (no SDK error): the message on stderr, and {"error": …} on stdout with --json.
export function fail(ctx: CommandContext, message: string, code: 'NO_RECORD' | 'DAMAGED_RECORD' = 'NO_RECORD'): number {
  if (ctx.ui.json) ctx.ui.printJson({ error: { code, message } });
  ctx.ui.writeErr(`error: ${safeLine(message)}\n`);
  return EXIT.error;
}

/** Give back what the records took (merged), with the command line's --force and --delete; print and exit. */
export async function applyGiveBack(ctx: CommandContext, controller: BalloonController, name: string, rooms: readonly RoomFile[], dryRun: boolean): Promise<number> {
  const record = mergeRooms(rooms.map((room) => room.stored.record));
  if (record === null) return fail(ctx, `${name}: no record of memory taken for it`);
  if (rooms.length > 1) ctx.ui.note(`${name} was started with room ${rooms.length} times: giving back what every start took (${rooms.map((room) => room.file).join(', ')}).`);
  const del = boolFlag(ctx.args, 'delete');
  const r = await controller.giveBack(record, { dryRun, force: boolFlag(ctx.args, 'force'), ...(del ? { delete: true } : {}), signal: ctx.interrupt });
  if (r.isErr()) return reportError(ctx, r.error);
  const g = r.value;
  const done = !dryRun && g.failed.length === 0 && !g.aborted;
  if (done) for (const room of rooms) dropRoom(room.file);
  const files = rooms.map((room) => room.file);
  if (ctx.ui.json) ctx.ui.printJson({ ...g, recordFile: files[0], recordFiles: files, recordKept: !done });
  else {
    if (!ctx.ui.quiet || dryRun) {
      for (const c of g.changes) ctx.ui.print(`${safe(c.vm)}: live balloon ${c.fromMb} MB -> ${c.toMb} MB${dryRun ? ' (dry run)' : ''}`);
      for (const s of g.skipped) ctx.ui.print(`left alone: ${safe(s.vm)}: ${safeLine(s.reason)}`);
      if (g.changes.length === 0 && g.skipped.length === 0 && !g.deleted) ctx.ui.print('Nothing to give back.');
      if (g.deleted) ctx.ui.print(`${name}: removed (unregistervm --delete)`);
    }
    for (const f of g.failed) ctx.ui.error(f.error);
  }
  return g.failed.length === 0 && !g.aborted ? EXIT.ok : g.aborted ? EXIT.interrupted : EXIT.partial;
}
