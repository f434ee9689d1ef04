/**
 * @module lattice/oci
 * OCI registries: references, a distribution-spec client on `fetch` (anonymous, Basic and Bearer-token auth from the
 * `WWW-Authenticate` challenge; HTTPS, plain HTTP only for localhost or allowed-insecure hosts), and push/pull of Wasm
 * components as CNCF Wasm OCI artifacts (reading wasmCloud's legacy and Spin's layer types too). Errors are
 * `OciError` with `OCI_*` codes.
 *
 * ```ts
 * import { OciClient, pushWasm, pullWasm } from './lattice/index.ts';
 * const client = new OciClient({ credentials: (reg) => (reg === 'ghcr.io' ? { username: 'me', password: token } : undefined) });
 * const { digest } = await pushWasm(client, 'localhost:5000/adder:0.1.0', bytes);
 * const pulled = await pullWasm(client, `localhost:5000/adder@${digest}`, { maxBytes: 50 << 20 }); // pulled.bytes
 * ```
 */
export { OciError, OciErrorCode } from './errors.ts';
export {
  parseOciReference,
  formatOciReference,
  withDigest,
  registryApiHost,
  isLoopbackRegistry,
  looksLikeOciReference,
  DOCKER_HUB,
} from './reference.ts';
export { OciClient } from './client.ts';
export { parseWwwAuthenticate, basicAuthorization, repositoryScope } from './auth.ts';
export {
  OciMediaType,
  WASM_LAYER_MEDIA_TYPES,
  MANIFEST_ACCEPT,
  buildWasmArtifact,
  decodeManifest,
  wasmLayerOf,
  sha256Digest,
  isDigest,
} from './manifest.ts';
export { componentInfoOf, worldItemsOf } from './component-info.ts';
export { pushWasm, pullWasm } from './artifact.ts';
export { parseRegistryMirrors, mirroredReference, normalizeRegistryHost } from './mirrors.ts';

export type { OciReference } from './reference.ts';
export type { OciClientOptions, FetchedManifest } from './client.ts';
export type { TransportOptions } from './transport.ts';
export type { RegistryCredentials, AuthChallenge } from './auth.ts';
export type {
  OciDescriptor,
  OciManifest,
  WasmConfig,
  WasmComponentInfo,
  WasmArtifact,
  BuildArtifactOptions,
} from './manifest.ts';
export type { PushWasmOptions, PushWasmResult, PullWasmOptions, PullWasmResult } from './artifact.ts';
export type { RegistryMirrors } from './mirrors.ts';
export type { ByteProgress } from './body.ts';
