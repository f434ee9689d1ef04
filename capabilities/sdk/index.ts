/**
 * @module capabilities/sdk
 * The provider interface shared by built-in (in-host) and external providers.
 *
 * ```ts
 * import type { Provider } from './capabilities/sdk/index.ts';
 * export const myProvider = (): Provider => ({
 *   init(ctx) { ctx.log.info({}, 'ready'); },
 *   async handleImport(source, link, iface, func, args) { return 'value'; },
 *   shutdown() {},
 * });
 * ```
 */
export { WitError } from './provider.ts';
export { dispatchKv, kvOther } from './keyvalue.ts';
export { runProvider } from './run-provider.ts';
/** The host ⇄ provider protocol lives in `lattice/provider/`; re-exported for provider authors and tests. */
export { encodeHostData, decodeHostData, providerSubject } from '../../lattice/index.ts';
export type { HostData } from '../../lattice/index.ts';
export { ProviderLinks, LinkNotFoundError } from './provider-links.ts';
export { serveProviderControl } from './provider-control.ts';
export type { ControlHandlers } from './provider-control.ts';
export type { KvBackend } from './keyvalue.ts';
export type { HttpSink, Provider, ProviderContext, ProviderFactory, ResolvedLink } from './provider.ts';
export {
  checkIdentifier,
  derivedBucket,
  escapeGlob,
  isReservedBucket,
  kvCoded,
  KvRefusal,
  linkKeyPrefix,
  resolveNatsBucket,
  DERIVED_PREFIX,
  KV_IDENTIFIER,
  MAX_DERIVED_BUCKET,
  RESERVED_BUCKET_PREFIXES,
} from './kv-namespace.ts';
export type { NatsStore } from './kv-namespace.ts';
