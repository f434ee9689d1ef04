import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsConnectOptions } from './nats/connect.ts';
import type { Link } from './types/link.ts';

/** A link as a provider sees it: the wire `Link` plus its named configs resolved to values (wasmCloud's InterfaceLinkDefinition). */
export interface ResolvedLink extends Link {
  source_config_values: Record<string, string>;
  target_config_values: Record<string, string>;
}

/** What the host gives a provider. */
export interface ProviderContext {
  providerId: string;
  hostId: string;
  lattice: string;
  /** The lattice's NATS connection, the host's own (for providers backed by NATS, such as keyvalue-nats; never for traffic a guest chooses). */
  nc: NatsConnection;
  /**
   * How to reach the lattice's NATS with the credentials this host was given, for a provider that opens connections
   * of its own rather than use `nc` (messaging-nats: guest traffic never runs on the host's connection). Absent when
   * the host was started without them.
   */
  natsOptions?: NatsConnectOptions;
  /** The provider's own config (named configs of `provider.start`, merged). */
  config: Record<string, string>;
  /**
   * The links of the lattice that involve this provider when it starts (config resolved). They are also delivered
   * through `onLinkAsSource`/`onLinkAsTarget` right after `init`; an external process gets them in its HostData, so
   * it can answer calls from its first moment.
   */
  links?: ResolvedLink[];
  /** Calls an export of a component, in this host when it runs here, else over the lattice. */
  /** `traceparent` continues the trace of what the provider is serving (e.g. an incoming HTTP request's). */
  /**
   * For `wasi:http/incoming-handler.handle`: when the component runs on this host, its response head and body writes
   * reach `httpSink` as the guest makes them (the result then has `streamed: true`), and the guest reads `httpBody`
   * as it arrives. A component on another host gets the body collected first (it must fit in one NATS message) and answers buffered.
   */
  invoke(
    targetId: string,
    operation: string,
    args: unknown[],
    opts?: { timeoutMs?: number; traceparent?: string; httpSink?: HttpSink; httpBody?: AsyncIterable<Uint8Array> },
  ): Promise<unknown>;
  log: {
    info(obj: Record<string, unknown>, msg: string): void;
    warn(obj: Record<string, unknown>, msg: string): void;
    error(obj: Record<string, unknown>, msg: string): void;
  };
}

/** Receives a streamed HTTP response: its head once, then each body chunk in order. */
export interface HttpSink {
  head(status: number, headers: [string, string][]): void;
  chunk(bytes: Uint8Array): void;
}

/** A WIT error value thrown by a provider: delivered to the guest as the `err` of its `result`. */
export class WitError extends Error {
  override readonly name = 'WitError';
  readonly value: unknown;
  constructor(value: unknown) {
    super(`WIT error ${JSON.stringify(value)}`);
    this.value = value;
  }
}

/**
 * A capability provider (wasmCloud's provider-sdk hooks). Built-in providers run inside the host; the same
 * interface is served over NATS by `runProvider()` for external provider processes.
 */
export interface Provider {
  /** Called once with the host context. */
  init(ctx: ProviderContext): Promise<void> | void;
  /** A link where this provider is the source (e.g. http-server → component). */
  onLinkAsSource?(link: ResolvedLink): Promise<void> | void;
  /** A link where this provider is the target (e.g. component → keyvalue). */
  onLinkAsTarget?(link: ResolvedLink): Promise<void> | void;
  onLinkDeleted?(link: Link, role: 'source' | 'target'): Promise<void> | void;
  /** Serves a component's call on an interface this provider implements (`iface` like `wasi:keyvalue/store`). */
  handleImport?(sourceId: string, link: ResolvedLink, iface: string, func: string, args: unknown[]): Promise<unknown>;
  health?(): Promise<{ healthy: boolean; message?: string }> | { healthy: boolean; message?: string };
  shutdown(): Promise<void> | void;
}

/** Creates a provider instance (one per `provider.start`). */
export type ProviderFactory = () => Provider;
