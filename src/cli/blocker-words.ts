// A few words for a blocker in a table cell; the full message is in --json and in the notes under the table.
import type { BalloonError } from '../index.js';

/** `VM is poweroff`, `large pages on`, … */
export function blockerWords(e: BalloonError): string {
  switch (e.code) {
    case 'INVALID_VM_STATE':
      return `VM is ${e.state}`;
    case 'LARGE_PAGES_ENABLED':
      return 'large pages on';
    case 'GUEST_ADDITIONS_NOT_RUNNING':
      return 'no Guest Additions';
    case 'HOST_UNSUPPORTED':
      return 'host cannot balloon';
    default:
      return e.code.toLowerCase().replace(/_/gu, ' ');
  }
}
