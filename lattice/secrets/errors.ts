/** Stable `SECRET_*` codes of secrets failures; messages name the secret and the backend, never a value. */
export const SecretsErrorCode = {
  /** No backend answers on the topic (not running, wrong `--secrets-topic` or backend name), or it timed out. */
  Unreachable: 'SECRET_UNREACHABLE',
  /** The backend refused the entity (its policy does not allow it). */
  Denied: 'SECRET_DENIED',
  NotFound: 'SECRET_NOT_FOUND',
  /** A reply that does not decode or open. */
  BadResponse: 'SECRET_BAD_RESPONSE',
  /** Any other backend error. */
  Backend: 'SECRET_BACKEND',
  /** The host cannot ask: no secrets topic, or the entity has no claims JWT. */
  NotConfigured: 'SECRET_NOT_CONFIGURED',
  /** A `SECRET_…` reference that is missing or malformed. */
  BadReference: 'SECRET_BAD_REFERENCE',
} as const;
export type SecretsErrorCode = (typeof SecretsErrorCode)[keyof typeof SecretsErrorCode];

export class SecretsError extends Error {
  override readonly name = 'SecretsError';
  readonly code: SecretsErrorCode;
  constructor(code: SecretsErrorCode, message: string, options?: ErrorOptions) {
    super(`[${code}] ${message}`, options);
    this.code = code;
  }
}
