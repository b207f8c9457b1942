// Small linear-time helpers shared by the parsers: no regular expression with unbounded backtracking.

/** True for the ASCII digits 0-9. @internal */
export const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * A run of ASCII digits as a number, or `null` when the text is not only digits or the number does not fit
 * (beyond `Number.MAX_SAFE_INTEGER`): a 400-digit answer is unreadable, never `Infinity`. @internal
 */
export function safeInt(digits: string): number | null {
  if (digits === '' || digits.length > 16) return null;
  for (let i = 0; i < digits.length; i++) if (!isDigit(digits[i])) return null;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : null;
}

/** Lines of a VBoxManage answer, CRLF and CR read as LF. @internal */
export function lines(text: string): string[] {
  return text.replace(/\r\n?/gu, '\n').split('\n');
}

/** The parsers' answer to input that is not a string (never thrown). @internal */
export const NOT_TEXT = 'the output is not text';

/**
 * True for a bare VM UUID as VBoxManage prints it (8-4-4-4-12 hex digits, any case, no braces): every UUID read from
 * its output is checked with this, since argv, cache keys and the CLI's record file names are built from it. @internal
 */
export function isBareUuid(text: string): boolean {
  if (text.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = text[i] ?? '';
    const dash = i === 8 || i === 13 || i === 18 || i === 23;
    if (dash ? c !== '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}
