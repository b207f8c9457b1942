import { err, ok, type Result } from 'neverthrow';
import { parseError, type ParseError } from '../../errors/index.js';
import type { VmSummary } from '../../domain/vm-info.js';
import { isBareUuid, lines, NOT_TEXT } from './scan.js';

// A line that ends a `"name" {uuid}` entry: `" {` + a UUID (8-4-4-4-12 hex digits) + `}` at its end. Constant time.
function uuidAtEnd(line: string): string | null {
  const n = line.length;
  if (n < 40 || line[n - 1] !== '}' || line[n - 38] !== '{' || line[n - 39] !== ' ' || line[n - 40] !== '"') return null;
  const uuid = line.slice(n - 37, n - 1);
  return isBareUuid(uuid) ? uuid : null;
}

/** Parse `VBoxManage list vms` or `list runningvms`: one `"name" {uuid}` line per VM; no output means no VMs. */
export function parseVmList(text: string): Result<VmSummary[], ParseError> {
  if (typeof text !== 'string') return err(parseError('list vms', '', NOT_TEXT));
  const vms: VmSummary[] = [];
  let pending: string[] | null = null; // a name with a line break spans several lines
  for (const line of lines(text)) {
    if (pending === null && line.trim() === '') continue;
    if (pending === null && !line.startsWith('"')) return err(parseError('list vms', text, `unexpected line ${JSON.stringify(line.slice(0, 200))}`));
    const uuid = uuidAtEnd(line);
    const first: string = pending === null ? line : (pending[0] ?? '');
    // The entry ends here when the UUID closes this line and the name (from the opening quote) is at least empty.
    if (uuid !== null && (pending !== null || line.length >= 41)) {
      const whole = pending === null ? line : [...pending, line].join('\n');
      vms.push({ name: whole.slice(1, whole.length - 40), uuid: uuid.toLowerCase() });
      pending = null;
    } else if (pending === null) {
      pending = [first];
    } else {
      pending.push(line);
    }
  }
  if (pending !== null) return err(parseError('list vms', text, `unterminated line ${JSON.stringify((pending[0] ?? '').slice(0, 200))}`));
  return ok(vms);
}
