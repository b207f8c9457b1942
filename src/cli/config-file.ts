// --config FILE: per-VM limits as JSON, checked by the SDK's validateLimits.
import { readFile, stat } from 'node:fs/promises';
import { validateLimits, type VmLimits } from '../index.js';

/** A config file larger than this is refused unread: limits for thousands of VMs fit in far less. */
const MAX_BYTES = 1024 * 1024;

/** The limits in `file`, or why they cannot be used (a sentence naming the file). */
export async function readLimits(file: string): Promise<{ readonly limits: Readonly<Record<string, VmLimits>> } | { readonly problem: string }> {
  let text: string;
  try {
    const s = await stat(file);
    if (!s.isFile()) return { problem: `--config ${JSON.stringify(file)} is not a file` };
    if (s.size > MAX_BYTES) return { problem: `--config ${JSON.stringify(file)} is larger than 1 MB` };
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return { problem: `--config ${JSON.stringify(file)} cannot be read${typeof code === 'string' ? ` (${code})` : ''}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { problem: `--config ${JSON.stringify(file)} is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const limits = validateLimits(json);
  if (limits.isErr()) return { problem: `--config ${JSON.stringify(file)}: ${limits.error.message}` };
  return { limits: limits.value };
}
