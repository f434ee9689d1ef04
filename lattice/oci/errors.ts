/** Coded errors of the OCI registry client; each message names the reference and the hint says what to do. */
export const OciErrorCode = {
  /** The reference does not parse. */
  BadReference: 'OCI_BAD_REFERENCE',
  /** 401 after the auth flow, or the token server refused the credentials. */
  Unauthorized: 'OCI_UNAUTHORIZED',
  /** 403: authenticated but not allowed. */
  Denied: 'OCI_DENIED',
  /** 404 / MANIFEST_UNKNOWN / BLOB_UNKNOWN / NAME_UNKNOWN. */
  NotFound: 'OCI_NOT_FOUND',
  /** Content whose sha256 is not the digest asked for or announced. */
  DigestMismatch: 'OCI_DIGEST_MISMATCH',
  /** A manifest or blob larger than the limit. */
  TooLarge: 'OCI_TOO_LARGE',
  /** Plain HTTP to a registry not allowed to be insecure. */
  Insecure: 'OCI_INSECURE',
  /** A manifest that is not a single-layer Wasm artifact (several wasm layers, an image index, bad JSON …). */
  BadManifest: 'OCI_BAD_MANIFEST',
  /** The registry could not be reached (DNS, connection refused, TLS). */
  Unreachable: 'OCI_UNREACHABLE',
  /** No answer within the timeout. */
  Timeout: 'OCI_TIMEOUT',
  /** Any other unexpected answer (5xx, an HTML error page, a protocol violation). */
  Registry: 'OCI_REGISTRY',
} as const;
export type OciErrorCode = (typeof OciErrorCode)[keyof typeof OciErrorCode];

/** A registry operation that failed; `code` is stable, `ref` the reference concerned, `hint` what to do. */
export class OciError extends Error {
  override readonly name = 'OciError';
  readonly code: OciErrorCode;
  readonly hint: string | undefined;
  readonly ref: string | undefined;
  /** HTTP status of the answer that caused it, when there was one. */
  readonly status: number | undefined;
  /** The bare reason without the reference (for callers that wrap the error in their own message). */
  readonly reason: string | undefined;
  constructor(
    code: OciErrorCode,
    message: string,
    options?: ErrorOptions & { hint?: string; ref?: string; status?: number; reason?: string },
  ) {
    super(`[${code}] ${message}`, options);
    this.code = code;
    this.hint = options?.hint;
    this.ref = options?.ref;
    this.status = options?.status;
    this.reason = options?.reason;
  }
}
