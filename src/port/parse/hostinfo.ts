import { err, ok, type Result } from 'neverthrow';
import { parseError, type ParseError } from '../../errors/index.js';
import type { HostInfo } from '../../domain/host.js';
import { lines, NOT_TEXT, safeInt } from './scan.js';

/** Parse `VBoxManage list hostinfo` (`Label: value` lines, matched by label, never by position). */
export function parseHostInfo(text: string): Result<HostInfo, ParseError> {
  if (typeof text !== 'string') return err(parseError('list hostinfo', '', NOT_TEXT));
  const fields = new Map<string, string>();
  for (const line of lines(text)) {
    const i = line.indexOf(':');
    if (i > 0) {
      const label = line.slice(0, i).trim();
      if (!fields.has(label)) fields.set(label, line.slice(i + 1).trim());
    }
  }
  const mb = (label: string): number | null => {
    const v = fields.get(label) ?? '';
    return v.endsWith(' MByte') ? safeInt(v.slice(0, -' MByte'.length)) : null;
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
