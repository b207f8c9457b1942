// What the real client reports after every VBoxManage run (retries included), for logs and metrics.

/** One finished VBoxManage invocation, reported to {@link ExecaVBoxManageClientOptions.onCommand}. */
export interface CommandEvent {
  /** The arguments VBoxManage ran with. */
  readonly argv: readonly string[];
  /** Its exit code; `null` when it was killed or could not start. */
  readonly exitCode: number | null;
  /** How long it ran. */
  readonly durationMs: number;
  /** 1 for the first try, 2 for the first retry, and so on. */
  readonly attempt: number;
}
