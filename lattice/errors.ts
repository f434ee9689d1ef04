/** Coded errors for everything that crosses a process boundary. */
export const LatticeErrorCode = {
  Timeout: 'LAT_TIMEOUT',
  NoResponders: 'LAT_NO_RESPONDERS',
  BadPayload: 'LAT_BAD_PAYLOAD',
  BadRequest: 'LAT_BAD_REQUEST',
  Refused: 'LAT_REFUSED',
  NotFound: 'LAT_NOT_FOUND',
  Connect: 'LAT_CONNECT',
  /** The NATS server refused a publish or subscribe (account permissions). */
  Permission: 'LAT_PERMISSION',
  NatsServer: 'LAT_NATS_SERVER',
  Store: 'LAT_STORE',
} as const;
export type LatticeErrorCode = (typeof LatticeErrorCode)[keyof typeof LatticeErrorCode];

/** An operational failure on the lattice; `code` is stable, the message says what to do. */
export class LatticeError extends Error {
  override readonly name = 'LatticeError';
  readonly code: LatticeErrorCode;
  readonly hint: string | undefined;
  constructor(code: LatticeErrorCode, message: string, options?: ErrorOptions & { hint?: string }) {
    super(`[${code}] ${message}`, options);
    this.code = code;
    this.hint = options?.hint;
  }
}

/**
 * Codes of other layers that travel over the lattice (RPC error headers, `linkdef_set_failed` events, ctl replies)
 * and that a layer which may not import their owner has to recognise. The owners' enums (`ComponentErrorCode` in
 * host/runtime, `HostErrorCode` in host) hold the same values; a unit test there checks they agree. Match them with
 * the kind predicates below, never as literals.
 */
export const RemoteErrorCode = {
  GuestTrap: 'COMP_TRAP',
  GuestTimeout: 'COMP_TIMEOUT',
  GuestMemoryLimit: 'COMP_MEMORY_LIMIT',
  GuestWorkerLost: 'COMP_WORKER_LOST',
  GuestBusy: 'COMP_BUSY',
  NoSuchExport: 'COMP_NO_SUCH_EXPORT',
  BadArguments: 'COMP_BAD_ARGUMENTS',
  BodyTooLarge: 'HOST_BODY_TOO_LARGE',
  ReplyTooLarge: 'HOST_REPLY_TOO_LARGE',
  LinkNotFound: 'HOST_LINK_NOT_FOUND',
  CapabilityDenied: 'HOST_CAPABILITY_DENIED',
  Invocation: 'HOST_INVOCATION',
  /** http-server's own deadline for a request (`timeout_ms` of its link). */
  HttpTimeout: 'HTTP_TIMEOUT',
  /** A provider's call failed without a code of its own. */
  ProviderError: 'PROVIDER_ERROR',
  /** The error header of an RPC reply carrying a WIT error value (`result::err`). */
  WitError: 'WIT_ERROR',
} as const;
export type RemoteErrorCode = (typeof RemoteErrorCode)[keyof typeof RemoteErrorCode];

/** The `code` of an error (any class, or a plain object), if it has a string one. */
export function errorCodeOf(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

const hasCode =
  (...codes: string[]) =>
  (err: unknown): boolean => {
    const code = errorCodeOf(err);
    return code !== undefined && codes.includes(code);
  };

/** A deadline passed: the lattice request (LAT_TIMEOUT), the guest's execution limit, or http-server's own. */
export const isTimeout: (err: unknown) => boolean = hasCode(
  LatticeErrorCode.Timeout,
  RemoteErrorCode.GuestTimeout,
  RemoteErrorCode.HttpTimeout,
);
/** Nobody listens on the subject (no host runs the target, or the lattice name is wrong). */
export const isNoResponders: (err: unknown) => boolean = hasCode(LatticeErrorCode.NoResponders);
/** The guest itself failed (trap, execution limit, memory limit, its worker died): not the caller's fault. */
export const isGuestFault: (err: unknown) => boolean = hasCode(
  RemoteErrorCode.GuestTrap,
  RemoteErrorCode.GuestTimeout,
  RemoteErrorCode.GuestMemoryLimit,
  RemoteErrorCode.GuestWorkerLost,
);
/** The host is at its guest budget: retry later (HTTP 503). */
export const isBusy: (err: unknown) => boolean = hasCode(RemoteErrorCode.GuestBusy);
/** A request or reply too large to cross the lattice (HTTP 413 for a request body). */
export const isTooLarge: (err: unknown) => boolean = hasCode(
  RemoteErrorCode.BodyTooLarge,
  RemoteErrorCode.ReplyTooLarge,
);
/** The caller has no link for the interface it called. */
export const isLinkNotFound: (err: unknown) => boolean = hasCode(RemoteErrorCode.LinkNotFound);
/** A host answered `success:false` (the message says why). */
export const isRefused: (err: unknown) => boolean = hasCode(LatticeErrorCode.Refused);
