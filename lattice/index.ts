/**
 * @module lattice
 * Everything that crosses a process boundary: subjects, wire types, validation, the control-interface
 * client, events, stores (ports + NATS and memory implementations) and the nats-server launcher.
 *
 * ```ts
 * import { connectNats, CtlClient } from './lattice/index.ts';
 * const nc = await connectNats({ url: 'nats://127.0.0.1:4222' });
 * const ctl = new CtlClient(nc, { lattice: 'default' });
 * for (const h of await ctl.getHosts()) console.log(h.id, h.friendly_name);
 * await ctl.putConfig('http-cfg', { address: '127.0.0.1:8080' });
 * const sub = ctl.subscribeEvents((e) => console.log(e.type), ['component_scaled']);
 * await nc.drain();
 * ```
 */
export {
  LatticeError,
  LatticeErrorCode,
  RemoteErrorCode,
  errorCodeOf,
  isTimeout,
  isNoResponders,
  isGuestFault,
  isBusy,
  isTooLarge,
  isLinkNotFound,
  isRefused,
} from './errors.ts';
export { toLatticeError } from './request-errors.ts';
export { unversioned, parseWitName, splitOperation, witPackageOf } from './wit-names.ts';
export { matchesLabels } from './labels.ts';
export { mergeConfigs } from './stores/merge-configs.ts';
export {
  ctlSubject,
  evtSubject,
  rpcSubject,
  providerSubject,
  bucketName,
  parseCtlSubject,
  isValidLatticeName,
  CTL_PREFIX,
  WASMCLOUD_SUBJECT_TREES,
  metricsSubject,
} from './subjects.ts';
export { ok, fail } from './envelope.ts';
export { ID_PATTERN, ID_RULE, isValidId, checkId, badIdMessage, showId } from './ids.ts';
export {
  decodeJsonObject,
  decodeHostLabel,
  decodeScaleComponent,
  decodeUpdateComponent,
  decodeComponentAuction,
  decodeLink,
  decodeStartProvider,
  decodeStopProvider,
  decodeProviderAuction,
  decodeDeleteLink,
  MAX_INSTANCES_CEILING,
  reqId,
  asStringMap,
  reqString,
  optString,
  optNumber,
  optStringMap,
  optStringList,
} from './codec.ts';
export { CtlClient } from './ctl-client.ts';
export { buildCloudEvent } from './events/cloud-event.ts';
export { EventType } from './types/event.ts';
export { connectNats } from './nats/connect.ts';
export { NatsEventPublisher } from './nats/nats-event-publisher.ts';
export { NatsConfigStore } from './nats/kv-config-store.ts';
export { NatsClaimsStore } from './nats/kv-claims-store.ts';
export { openLatticeBuckets } from './nats/lattice-buckets.ts';
export { createKvRetrying, isTransientJsError } from './nats/kv-create.ts';
export { kvKeys } from './nats/kv-keys.ts';
export { startNatsServer, findNatsServerBin, freePort } from './nats/nats-server.ts';
export {
  messagingPermissions,
  nkeyUserFile,
  providerNatsUsers,
  providerPermissions,
  RESERVED_SUBJECTS,
  reservedStreams,
} from './nats/nats-users.ts';
export { parseArtifactRef, objectNameOf } from './artifact-ref.ts';
export { wasmKindOf } from './wasm-kind.ts';
export { concatBytes, encodeLeb128, readLeb128, skipSleb128, wasmSections } from './wasm-bytes.ts';
export { NatsArtifactStore } from './nats/object-artifact-store.ts';
export { encodeRpc, decodeRpc } from './rpc/codec.ts';
export { RpcError, RpcHeader, errorHeaders, errorFromHeaders } from './rpc/error-headers.ts';
export { invokeComponent } from './rpc/invoke.ts';
export { serveRpc } from './rpc/serve.ts';
export {
  errorReply,
  errorReplyHeaders,
  errorFromReply,
  witErrorReply,
  MAX_WIT_ERROR_BYTES,
} from './rpc/error-reply.ts';
export type { ErrorReply } from './rpc/error-reply.ts';
export { replyBatched, REPLY_TOO_LARGE } from './rpc/reply-batch.ts';
/** The host ⇄ provider protocol (HostData, op names, readiness handshake, link identity): see `provider/index.ts`. */
export {
  encodeHostData,
  decodeHostData,
  ProviderOp,
  isProviderControlOp,
  awaitProviderReady,
  announceReady,
  decodeReadyReport,
  linkKey,
  sameLink,
  sameLinkValue,
  linkKeyOfCall,
  interfaceName,
  ProviderWireCode,
  sealLinkSecrets,
  openLinkSecrets,
  decodeWireLinkDefinition,
  withoutSealed,
  LinkSecretLimits,
} from './provider/index.ts';
export { parseTraceparent, formatTraceparent, childSpan } from './rpc/trace-context.ts';
export { NatsLinkStore } from './nats/kv-link-store.ts';
export { MemoryLinkStore } from './memory/memory-link-store.ts';
export { NatsPolicyClient } from './policy/policy-client.ts';
export { WitError, describeWitValue } from './rpc/wit-error.ts';
export { RateLimitedLog } from './rate-limited-log.ts';
export { KeyedSerial } from './keyed-serial.ts';
export { settleWithin } from './settle-within.ts';
// validating decoders of untrusted lattice input (events, inventories, KV entries, replies) and where drops are reported
export { decodeCloudEvent, eventKind } from './events/decode-event.ts';
export { decodeHeartbeat, decodeHostInventory, decodeHostInfo } from './types/decode-host.ts';
export { decodeMetricsSample, MetricsLimits } from './types/decode-metrics.ts';
export { decodeComponentSpec, decodeLinkValue } from './types/decode-link-spec.ts';
export { decodeClaimsEntry } from './nats/kv-claims-store.ts';
export { decodeConfigEntry } from './nats/kv-config-store.ts';
export { decodePolicyResponse } from './policy/decode-policy.ts';
export { decodeStoredApp, decodeLeaseEntry } from './types/decode-controller.ts';
export { decodeLinkDefinition, decodeShutdownRequest, decodeHealthReply } from './types/decode-provider-control.ts';
export { decodeRegistryCredentials, registryHostOf, MAX_REGISTRIES_PER_PUT } from './types/decode-registry.ts';
export { InputLimits } from './types/limits.ts';
export { decodeOrDrop, dropBadInput, setBadInputSink } from './bad-input.ts';
export { MemoryConfigStore } from './memory/memory-config-store.ts';
export { MemoryEventPublisher } from './memory/memory-event-publisher.ts';
export { MemoryClaimsStore } from './memory/memory-claims-store.ts';
/** OCI registries: references, the registry client, push/pull of Wasm components (see `oci/index.ts`). */
export * from './oci/index.ts';

export type { CtlResponse } from './envelope.ts';
export type { CtlClientOptions, ProviderAuctionAck } from './ctl-client.ts';
export type { WitName } from './wit-names.ts';
export type { MergeConfigsOptions } from './stores/merge-configs.ts';
export type { CloudEvent } from './types/event.ts';
export type {
  HostInfo,
  HostInventory,
  ComponentDescription,
  ProviderDescription,
  HostLabel,
  StopHostCommand,
} from './types/host.ts';
export type {
  ScaleComponentCommand,
  UpdateComponentCommand,
  ComponentAuctionRequest,
  ComponentAuctionAck,
} from './types/component.ts';
export type { EventPublisher } from './events/event-publisher.ts';
export type { ConfigStore } from './stores/config-store.ts';
export type { ArtifactStore } from './stores/artifact-store.ts';
export type { LinkStore, SpecChange } from './stores/link-store.ts';
export type { Link, DeleteLinkRequest, ComponentSpecification } from './types/link.ts';
export type { PolicyClientOptions, PolicyDecision } from './policy/policy-client.ts';
export type {
  PolicyKind,
  PolicyRequest,
  PolicyResponse,
  PolicyClaims,
  PolicyComponentInfo,
  PolicyProviderInfo,
  PolicyInvocationInfo,
  PolicyHostInfo,
} from './policy/types.ts';
export type { StartProviderCommand, StopProviderCommand, ProviderAuctionRequest } from './types/provider.ts';
export type { RateLimitedLogOptions, WarnSink } from './rate-limited-log.ts';
export type { DecodedSpec } from './types/decode-link-spec.ts';
export type { LeaseEntry } from './types/decode-controller.ts';
export type { HostMetricsSample, ComponentTraffic } from './types/decode-metrics.ts';
export type { HttpSink, Provider, ProviderContext, ProviderFactory, ResolvedLink } from './provider-port.ts';
export type {
  HttpAnswer,
  HttpHandler,
  HttpRequestHead,
  WorkerHttpEnv,
  WorkerHttpPort,
  WorkerListener,
} from './provider-port.ts';
export type { ClaimsStore } from './stores/claims-store.ts';
export type { NatsConnectOptions } from './nats/connect.ts';
export type { LatticeBuckets, LatticeBucketOptions } from './nats/lattice-buckets.ts';
export type { InvokeOptions } from './rpc/invoke.ts';
export type { RpcCall, RpcHandler, RpcLog, RpcServing, ServeRpcOptions } from './rpc/serve.ts';
export type { HostData, LinkDefinition, LinkIdentity, ReadyReport, ReadyWait } from './provider/index.ts';
export type { TraceContext } from './rpc/trace-context.ts';
export type { WasmKind } from './wasm-kind.ts';
export type { Section as WasmSection } from './wasm-bytes.ts';
export type { ArtifactRef } from './artifact-ref.ts';
export type { NatsServerOptions, RunningNatsServer } from './nats/nats-server.ts';
export type { NatsPermissions, NkeyUser } from './nats/nats-users.ts';
