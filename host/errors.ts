/** Coded errors of the host daemon. */
export const HostErrorCode = {
  BadOptions: 'HOST_BAD_OPTIONS',
  Refused: 'HOST_REFUSED',
  NotFound: 'HOST_NOT_FOUND',
  Stopping: 'HOST_STOPPING',
  LinkNotFound: 'HOST_LINK_NOT_FOUND',
  CapabilityDenied: 'HOST_CAPABILITY_DENIED',
  /** A `file://` provider outside `--allow-provider-dir` (or missing, or writable by others). */
  ProviderNotAllowed: 'HOST_PROVIDER_NOT_ALLOWED',
  /** A request body too large to send to a component on another host. */
  BodyTooLarge: 'HOST_BODY_TOO_LARGE',
  /** A component's result too large for one NATS reply. */
  ReplyTooLarge: 'HOST_REPLY_TOO_LARGE',
  /** A call failed in the host without a more precise code. */
  Invocation: 'HOST_INVOCATION',
  /** A ctl request for components on a host started without a component runtime. */
  NoRuntime: 'HOST_NO_RUNTIME',
  /** A link request on a host started without a link store. */
  NoLinkStore: 'HOST_NO_LINK_STORE',
  /** A ctl subject this host has no handler for. */
  Unsupported: 'HOST_UNSUPPORTED',
} as const;
export type HostErrorCode = (typeof HostErrorCode)[keyof typeof HostErrorCode];

/** An operational failure inside the host; `code` is stable and greppable. */
export class HostError extends Error {
  override readonly name = 'HostError';
  readonly code: HostErrorCode;
  constructor(code: HostErrorCode, message: string, options?: ErrorOptions) {
    super(`[${code}] ${message}`, options);
    this.code = code;
  }
}
