// A mistake on the command line, found before anything ran: printed with the usage line, exit code 2.

/** What was wrong with the command line, and the usage line of the command concerned. */
export interface UsageError {
  readonly code: 'USAGE';
  readonly message: string;
  readonly usage: string;
  /** The command whose usage applies, or `null` for the top level. */
  readonly command: string | null;
}

/** A usage error. */
export function usageError(message: string, usage: string, command: string | null): UsageError {
  return Object.freeze({ code: 'USAGE', message, usage, command });
}
