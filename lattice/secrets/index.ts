/**
 * @module lattice/secrets
 * wasmCloud-compatible secrets (ADR 0019): wire types and validating decoders, xkey sealing, the host's client of
 * backends, and the JWTs of a request's context.
 */
export {
  SECRETS_API_VERSION,
  DEFAULT_SECRETS_TOPIC,
  DEFAULT_SECRETS_BACKEND,
  HOST_XKEY_HEADER,
  RESPONSE_XKEY_HEADER,
  SECRET_TYPE,
  SECRET_POLICY_PROPERTIES_TYPE,
  SECRET_MANIFEST_POLICY_TYPE,
  SECRET_CONFIG_PREFIX,
  isSecretConfigName,
} from './types.ts';
export {
  decodeSecretRequest,
  decodeSecretResponse,
  decodeSecretReference,
  encodeSecretReference,
  secretErrorText,
  SecretLimits,
} from './decode-secrets.ts';
export { SecretsError, SecretsErrorCode } from './errors.ts';
export { newXkey, xkeyFromSeed, xkeySeed, isXkeyPublic, sealTo, openFrom } from './xkeys.ts';
export { SecretsClient } from './secrets-client.ts';
export { secretsSubject } from '../subjects.ts';
export { putSecret, listSecrets, deleteSecret } from './admin-client.ts';
export { signEntityJwt, createHostIdentity, builtinProviderJwt, readEntityJwt, tokenProblem } from './entity-jwt.ts';
export type {
  SecretApplication,
  SecretContext,
  SecretRequest,
  SecretPayload,
  SecretResponse,
  GetSecretError,
  SecretReference,
  SecretValue,
} from './types.ts';
export type { XKeyPair } from './xkeys.ts';
export type { SecretsClientOptions, FetchedSecret } from './secrets-client.ts';
export type { HostIdentity, EntityToken } from './entity-jwt.ts';
export type { SecretAdminTarget, SecretListing } from './admin-client.ts';
