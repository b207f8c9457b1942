// Reading a file named on the command line (--config, --hosts): a regular file of at most 1 MB, or a sentence that
// names the flag and the file and says why not.
import { readFile, stat } from 'node:fs/promises';
import { err, ok, type Result } from 'neverthrow';

/** Larger than this is not a file a person wrote for the CLI. */
const MAX_BYTES = 1024 * 1024;

/** The text of `file`, given with `--FLAG`, or why it cannot be read. */
export async function readSmallFile(flag: string, file: string): Promise<Result<string, string>> {
  try {
    const s = await stat(file);
    if (!s.isFile()) return err(`--${flag} ${JSON.stringify(file)} is not a file`);
    if (s.size > MAX_BYTES) return err(`--${flag} ${JSON.stringify(file)} is larger than 1 MB`);
    return ok(await readFile(file, 'utf8'));
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return err(`--${flag} ${JSON.stringify(file)} cannot be read${typeof code === 'string' ? ` (${code})` : ''}`);
  }
}
