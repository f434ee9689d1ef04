/** Coded errors of the component runtime. */
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
  ResultErr: 'COMP_RESULT_ERR',
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
  constructor(code: ComponentErrorCode, message: string, options?: ErrorOptions) {
    super(`[${code}] ${message}`, options);
    this.code = code;
  }
}
