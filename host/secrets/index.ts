/**
 * @module host/secrets
 * Secrets in the host (resolution of `SECRET_…` references for components and provider links, the
 * `wasmcloud:secrets` imports) and the built-in backend `weft secrets serve`.
 */
export { HostSecrets } from './host-secrets.ts';
export { ComponentSecrets } from './component-secrets.ts';
export { LinkSecrets } from './link-secrets.ts';
export { SecretResolver } from './secret-resolver.ts';
export { SecretsBackend } from './secrets-backend.ts';
export { loadBackendXkey } from './backend-key.ts';
export { startBuiltinSecrets } from './start-builtin.ts';
export { authorize, decodeRecord, SECRET_NAME, RULE, MAX_VERSIONS } from './secret-records.ts';
export type { LinkSecretValues } from './link-secrets.ts';
export type { SecretEntity } from './secret-resolver.ts';
export type { SecretsBackendOptions } from './secrets-backend.ts';
export type { SecretRecord, StoredVersion, Requester } from './secret-records.ts';
