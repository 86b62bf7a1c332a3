// The journal's failures, each with a code the entry point maps to an exit message and status.

export type JournalErrorCode = "LOCK_HELD" | "JOURNAL_CORRUPT" | "JOURNAL_IO" | "SNAPSHOT_CORRUPT";

export class JournalError extends Error {
  readonly code: JournalErrorCode;

  constructor(code: JournalErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "JournalError";
    this.code = code;
  }
}

/** The message of an unknown thrown value, for wrapping fs errors ("ENOSPC: no space left ..."). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Wraps an fs failure as JOURNAL_IO; a JournalError passes through unchanged. */
export function ioError(what: string, cause: unknown): JournalError {
  if (cause instanceof JournalError) return cause;
  return new JournalError("JOURNAL_IO", `${what}: ${messageOf(cause)}`, { cause });
}
