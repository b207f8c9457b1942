// --config FILE: per-VM limits as JSON, checked by the SDK's validateLimits.
import { validateLimits, type VmLimits } from '../index.js';
import { readSmallFile } from './read-small-file.js';

/** The limits in `file`, or why they cannot be used (a sentence naming the file). */
export async function readLimits(file: string): Promise<{ readonly limits: Readonly<Record<string, VmLimits>> } | { readonly problem: string }> {
  const read = await readSmallFile('config', file);
  if (read.isErr()) return { problem: read.error };
  const text = read.value;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { problem: `--config ${JSON.stringify(file)} is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const limits = validateLimits(json);
  // The file's keys are the SDK's own names (maxBalloonMb, …): the message names them as written.
  if (limits.isErr()) return { problem: `--config ${JSON.stringify(file)}: ${limits.error.message}` };
  return { limits: limits.value };
}
