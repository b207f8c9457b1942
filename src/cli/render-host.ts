// A host for people: its operating system in words, and its memory as the one model counts it.
import type { HostSupport, MemoryLedger } from '../index.js';
import { safe } from './text.js';

/** `Linux 6.8.0`, `Windows 10.0, 32-bit`. */
export function osWords(h: HostSupport): string {
  return `${h.os}${h.osVersion === null ? '' : ` ${h.osVersion}`}${h.is64Bit === false ? ', 32-bit' : ''}`;
}

/** `backing 28672 MB of a 26214 MB budget, headroom 0 MB (2458 MB over); the guests could give 4000 MB`. */
export function memoryWords(m: MemoryLedger): string {
  const reserved = m.reservedMb > 0 ? `, ${m.reservedMb} MB reserved for starts` : '';
  const over = m.overBudgetMb > 0 ? ` (${m.overBudgetMb} MB over)` : '';
  return `backing ${m.backingMb} MB of a ${m.budgetMb} MB budget${reserved}, headroom ${m.headroomMb} MB${over}; the guests could give ${m.couldGiveMb} MB`;
}

/** One line per VM that counts with all of its RAM, with why (`db-1: large pages are on: …`). */
export function fullRamLines(m: MemoryLedger): string[] {
  return m.vms.filter((v) => v.rule === 'all-ram' && v.backingMb > 0).map((v) => `${safe(v.vm)}: ${v.backingWhy}`);
}
