// A host's operating system in words, for `host` on one host and across a fleet.
import type { HostSupport } from '../index.js';

/** `Linux 6.8.0`, `Windows 10.0, 32-bit`. */
export function osWords(h: HostSupport): string {
  return `${h.os}${h.osVersion === null ? '' : ` ${h.osVersion}`}${h.is64Bit === false ? ', 32-bit' : ''}`;
}
