/** Coded errors of the CLI (misuse and local failures). */
export const CliErrorCode = {
  Usage: 'CLI_USAGE',
  NotRunning: 'CLI_NOT_RUNNING',
  AlreadyRunning: 'CLI_ALREADY_RUNNING',
  Failed: 'CLI_FAILED',
} as const;
export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

/** A CLI error with a hint telling the user what to run next. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: CliErrorCode;
  readonly hint: string | undefined;
  constructor(code: CliErrorCode, message: string, hint?: string) {
    super(`[${code}] ${message}`);
    this.code = code;
    this.hint = hint;
  }
}
