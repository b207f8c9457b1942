/**
 * Quote one argument for a POSIX shell: single quotes, with each `'` written as `'\''`. Every byte reaches the
 * command as it was, `$(...)`, backticks, `;`, newlines and a leading `-` included; nothing is expanded. @internal
 */
export function posixQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}
