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
