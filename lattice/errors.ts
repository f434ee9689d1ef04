/** Coded errors for everything that crosses a process boundary. */
export const LatticeErrorCode = {
  Timeout: 'LAT_TIMEOUT',
  NoResponders: 'LAT_NO_RESPONDERS',
  BadPayload: 'LAT_BAD_PAYLOAD',
  BadRequest: 'LAT_BAD_REQUEST',
  Refused: 'LAT_REFUSED',
  NotFound: 'LAT_NOT_FOUND',
  Connect: 'LAT_CONNECT',
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
