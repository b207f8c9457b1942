import { err, ok, type Result } from 'neverthrow';
import { parseError, type ParseError } from '../../errors.js';
import type { HostInfo } from '../../domain/host.js';

/** Parse `VBoxManage list hostinfo` (`Label: value` lines, matched by label, never by position). */
export function parseHostInfo(text: string): Result<HostInfo, ParseError> {
  const fields = new Map<string, string>();
  for (const line of text.replace(/\r\n?/gu, '\n').split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) fields.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  const mb = (label: string): number | null => {
    const m = /^(\d+) MByte$/u.exec(fields.get(label) ?? '');
    return m?.[1] === undefined ? null : Number(m[1]);
  };
  const memoryMb = mb('Memory size');
  const memoryAvailableMb = mb('Memory available');
  const os = fields.get('Operating system');
  if (memoryMb === null || memoryAvailableMb === null || os === undefined || os === '') {
    const missing = [
      memoryMb === null ? 'Memory size' : null,
      memoryAvailableMb === null ? 'Memory available' : null,
      os === undefined || os === '' ? 'Operating system' : null,
    ].filter((x) => x !== null);
    return err(parseError('list hostinfo', text, `missing or unreadable ${missing.join(', ')}`));
  }
  const osVersion = fields.get('Operating system version');
  return ok({ os, osVersion: osVersion === undefined || osVersion === '' ? null : osVersion, memoryMb, memoryAvailableMb, is64Bit: null });
}
