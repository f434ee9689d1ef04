/**
 * @module lattice/provider
 * The host ⇄ provider protocol, imported by both halves (the host's `ExternalProviderProcess` and the SDK's
 * `runProvider`): HostData and its validating codec, the operation names (subjects are `providerSubject` in
 * `subjects.ts`), the readiness handshake over NATS, and the one identity of a link.
 */
export { encodeHostData, decodeHostData, MAX_HOST_DATA_LINE } from './host-data.ts';
export { ProviderOp, isProviderControlOp } from './ops.ts';
export { awaitProviderReady, announceReady, decodeReadyReport } from './handshake.ts';
export { linkKey, sameLink, sameLinkValue, linkKeyOfCall, interfaceName } from './link-key.ts';
export { ProviderWireCode } from './wire-codes.ts';
export type { HostData } from './host-data.ts';
export type { ReadyReport, ReadyWait } from './handshake.ts';
export type { LinkIdentity } from './link-key.ts';
export {
  sealLinkSecrets,
  openLinkSecrets,
  decodeWireLinkDefinition,
  decodeLinkDefinitionObject,
  withoutSealed,
  LinkSecretLimits,
} from './link-secrets.ts';
export type { LinkDefinition } from './link-secrets.ts';
export { encodeSecretMap, decodeSecretMap, SecretMapLimits } from './secret-values.ts';
export type { WireSecretValue } from './secret-values.ts';
