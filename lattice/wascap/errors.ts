/** Coded errors of claims handling (wascap format). */
export const ClaimsErrorCode = {
  BadToken: 'CLAIMS_BAD_TOKEN',
  BadSignature: 'CLAIMS_BAD_SIGNATURE',
  HashMismatch: 'CLAIMS_HASH_MISMATCH',
  Expired: 'CLAIMS_EXPIRED',
  NotYetValid: 'CLAIMS_NOT_YET_VALID',
  NotSigned: 'CLAIMS_NOT_SIGNED',
  BadWasm: 'CLAIMS_BAD_WASM',
  IssuerNotAllowed: 'CLAIMS_ISSUER_NOT_ALLOWED',
  BadKey: 'CLAIMS_BAD_KEY',
  /** The issuer is not an account key (`A…`) or the subject not a component key (`M…`). */
  KeyRole: 'CLAIMS_KEY_ROLE',
  /** The host runs with --require-caps and the component has no caps claim. */
  NoCaps: 'CLAIMS_NO_CAPS',
} as const;
export type ClaimsErrorCode = (typeof ClaimsErrorCode)[keyof typeof ClaimsErrorCode];

/** A claims failure; the message says what was wrong and what to do. */
export class ClaimsError extends Error {
  override readonly name = 'ClaimsError';
  readonly code: ClaimsErrorCode;
  constructor(code: ClaimsErrorCode, message: string, options?: ErrorOptions) {
    super(`[${code}] ${message}`, options);
    this.code = code;
  }
}
