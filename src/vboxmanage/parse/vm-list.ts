import { err, ok, type Result } from 'neverthrow';
import { parseError, type ParseError } from '../../errors.js';
import type { VmSummary } from '../../domain/vm-info.js';

// Names are printed unescaped; the UUID in braces at the end of the line is the anchor.
const LINE = /^"([\s\S]*)" \{([0-9a-fA-F-]{36})\}$/u;

/** Parse `VBoxManage list vms` or `list runningvms`: one `"name" {uuid}` line per VM; no output means no VMs. */
export function parseVmList(text: string): Result<VmSummary[], ParseError> {
  const lines = text.replace(/\r\n?/gu, '\n').split('\n');
  const vms: VmSummary[] = [];
  let pending: string | null = null; // a name with a line break spans several lines
  for (const line of lines) {
    if (pending === null && line.trim() === '') continue;
    const candidate: string = pending === null ? line : `${pending}\n${line}`;
    const m = LINE.exec(candidate);
    if (m?.[1] !== undefined && m[2] !== undefined) {
      vms.push({ name: m[1], uuid: m[2].toLowerCase() });
      pending = null;
    } else if (candidate.startsWith('"')) {
      pending = candidate;
    } else {
      return err(parseError('list vms', text, `unexpected line ${JSON.stringify(line)}`));
    }
  }
  if (pending !== null) return err(parseError('list vms', text, `unterminated line ${JSON.stringify(pending)}`));
  return ok(vms);
}
