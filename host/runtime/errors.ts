/**
 * Coded errors of the component runtime. A guest export's `result::err` is no failure code: it is a WIT error value,
 * a lattice `WitError` (thread-outcome.ts).
 */
export const ComponentErrorCode = {
  NotAComponent: 'COMP_NOT_A_COMPONENT',
  TooLarge: 'COMP_TOO_LARGE',
  Transpile: 'COMP_TRANSPILE',
  Instantiate: 'COMP_INSTANTIATE',
  NoSuchExport: 'COMP_NO_SUCH_EXPORT',
  BadArguments: 'COMP_BAD_ARGUMENTS',
  Trap: 'COMP_TRAP',
  Timeout: 'COMP_TIMEOUT',
  MemoryLimit: 'COMP_MEMORY_LIMIT',
  WorkerLost: 'COMP_WORKER_LOST',
  NotRunning: 'COMP_NOT_RUNNING',
  Import: 'COMP_IMPORT',
  /** The host is at its guest budget (calls or linear memory): retry later (HTTP 503). */
  Busy: 'COMP_BUSY',
  /** The transpile cache directory is writable by group or others. */
  CacheUnsafe: 'COMP_CACHE_UNSAFE',
} as const;
export type ComponentErrorCode = (typeof ComponentErrorCode)[keyof typeof ComponentErrorCode];

/** A failure to load, run or call a component; `code` is stable, the message names the component and export. */
export class ComponentError extends Error {
  override readonly name = 'ComponentError';
  readonly code: ComponentErrorCode;
  /** The message without its `[code]` prefix (what crosses the guest-worker boundary next to the code). */
  readonly detail: string;
  constructor(code: ComponentErrorCode, message: string, options?: ErrorOptions) {
    super(`[${code}] ${message}`, options);
    this.code = code;
    this.detail = message;
  }
}
