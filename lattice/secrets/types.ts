/**
 * wasmCloud 1.x secrets (ADR 0019, `crates/secrets-types`): the wire shapes between a host and a secrets backend.
 * JSON field names are wasmCloud's (snake_case); a backend written for wasmCloud answers a weft host unchanged.
 */

/** The API version token of the subjects: `{topic}.v1alpha1.{backend}.get`. */
export const SECRETS_API_VERSION = 'v1alpha1';
/** wasmCloud's usual secrets topic (`--secrets-topic`); weft's built-in backend serves it by default. */
export const DEFAULT_SECRETS_TOPIC = 'wasmcloud.secrets';
/** The name the built-in backend (`weft secrets serve`) answers to by default. */
export const DEFAULT_SECRETS_BACKEND = 'weft';
/** Request header: the requester's public xkey (the request is sealed with it, the response sealed to it). */
export const HOST_XKEY_HEADER = 'WasmCloud-Host-Xkey';
/** Response header: the xkey the backend sealed the response with (absent on an unsealed error reply). */
export const RESPONSE_XKEY_HEADER = 'Server-Response-Xkey';
/** `type` of a secret reference stored in `CONFIGDATA_{lattice}`. */
export const SECRET_TYPE = 'secret.wasmcloud.dev/v1alpha1';
/** `type` of the policy JSON a reference carries (`{type, properties}`). */
export const SECRET_POLICY_PROPERTIES_TYPE = 'properties.secret.wasmcloud.dev/v1alpha1';
/** `type` of a wadm manifest policy that names a secrets backend. */
export const SECRET_MANIFEST_POLICY_TYPE = 'policy.secret.wasmcloud.dev/v1alpha1';
/** Named configs whose name starts with this are secret references, not configuration. */
export const SECRET_CONFIG_PREFIX = 'SECRET_';

/** True when a named config is a secret reference (`SECRET_…`), which must never be merged into configuration. */
export function isSecretConfigName(name: string): boolean {
  return name.startsWith(SECRET_CONFIG_PREFIX);
}

/** The application an entity belongs to; `policy` is the JSON text of `{type, properties}`. */
export interface SecretApplication {
  name?: string;
  policy: string;
}

/** Who asks: the entity's claims JWT and the host's JWT (wasmCloud `Context`). */
export interface SecretContext {
  entity_jwt: string;
  host_jwt: string;
  application: SecretApplication;
  /**
   * weft extensions, asserted by the host (backends written for wasmCloud ignore them): the component or provider id
   * and its kind. Ids are not in the claims, so a backend that allows by id trusts the host it serves.
   */
  entity_id?: string;
  entity_kind?: 'component' | 'provider';
}

/** `{topic}.v1alpha1.{backend}.get` request, sealed to the backend's xkey. */
export interface SecretRequest {
  key: string;
  field?: string;
  version?: string;
  context: SecretContext;
}

/** A secret as a backend returns it: exactly one of the two values is set. */
export interface SecretPayload {
  version: string;
  string_secret?: string;
  binary_secret?: number[];
}

/**
 * wasmCloud's `GetSecretError` (serde's external tagging): a unit variant is a string (`"SecretNotFound"`), one with a
 * message an object (`{"UpstreamError": "…"}`).
 */
export type GetSecretError = string | Record<string, string>;

/** The response, sealed to the requester's xkey: `secret` or `error`. */
export interface SecretResponse {
  secret?: SecretPayload;
  error?: GetSecretError;
}

/** A secret reference as stored in a `SECRET_…` named config (all values strings, wasmCloud's `SecretConfig`). */
export interface SecretReference {
  /** The name the entity reads it by (`wasmcloud:secrets/store.get(name)`). */
  name: string;
  backend: string;
  key: string;
  field?: string;
  version?: string;
  /** JSON text of `{type: properties.secret.wasmcloud.dev/v1alpha1, properties}`. */
  policy: string;
  type: string;
}

/** A revealed value (wasmCloud's `secret-value`). */
export type SecretValue = { tag: 'string'; val: string } | { tag: 'bytes'; val: Uint8Array };
