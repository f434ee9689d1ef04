import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsConnectOptions } from './nats/connect.ts';
import type { Link } from './types/link.ts';
import type { SecretValue } from './secrets/types.ts';

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
  /** The provider's own config (named configs of `provider.start`, merged; `SECRET_…` names are not config). */
  config: Record<string, string>;
  /**
   * The provider's own secrets (wasmCloud's HostData `secrets`): the `SECRET_…` names among the configs of its start,
   * fetched with its identity before `init` (a start whose secret cannot be fetched fails), by the name each
   * reference gives. An external process gets them in its HostData; never log or return them.
   */
  secrets?: Readonly<Record<string, SecretValue>>;
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
  /**
   * In-host HTTP served by the guest workers themselves (built-in http-server; absent when the host cannot, e.g. it
   * runs a policy service that must see each call, or no runtime).
   */
  workerHttp?: WorkerHttpPort;
  /**
   * The secrets a link names (`SECRET_…` configs; wasmCloud's `source_secrets`/`target_secrets`) for the side this
   * provider is on, fetched with its identity. For a provider process the SDK gives the same call: its host sends them
   * sealed to the process's xkey in the link definitions (`lattice/provider/link-secrets.ts`).
   */
  linkSecrets?(
    link: Link,
  ): Promise<{ source_secrets?: Record<string, SecretValue>; target_secrets?: Record<string, SecretValue> }>;
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

/** An HTTP request's head as it reaches a handler (the body travels beside it). */
export interface HttpRequestHead {
  method: string;
  url: string;
  headers: [string, string][];
}

/** An HTTP answer: the body whole (it was complete when the head was ready) or as it streams. */
export interface HttpAnswer {
  status: number;
  headers: [string, string][];
  body: Uint8Array | AsyncIterable<Uint8Array>;
}

/**
 * The HTTP seam next to `invoke`: a request for `target`'s `wasi:http/incoming-handler`, its body read as the guest
 * reads it. `timeoutMs`: the link's limit (the caller answers 504 then).
 */
export type HttpHandler = (
  target: string,
  head: HttpRequestHead,
  body: AsyncIterable<Uint8Array> | undefined,
  o: { timeoutMs?: number; traceparent?: string },
) => Promise<HttpAnswer>;

/** What a worker-side HTTP module gets in a guest worker (see {@link WorkerHttpPort}). */
export interface WorkerHttpEnv {
  /** Calls an instance in this worker, or passes the request to the main thread when the target does not run here. */
  handleHttp: HttpHandler;
  /** Logs through the provider's log on the main thread. */
  log(level: 'info' | 'warn' | 'error', obj: Record<string, unknown>, msg: string): void;
}

/** A listener a worker-side HTTP module runs in one guest worker. */
export interface WorkerListener {
  update(spec: unknown): void;
  close(): Promise<void>;
}

/**
 * Runs an HTTP listener in every guest worker (each binds the address with SO_REUSEPORT, the kernel spreads
 * connections over them). `module` (a file URL) exports `listen(address, spec, env): Promise<WorkerListener>`; it is
 * imported in each worker, and again in a worker that replaces one. `relay` serves the requests a worker passes on
 * (a target that does not run in it). `spec` must be structured-cloneable.
 */
export interface WorkerHttpPort {
  /**
   * Starts (or updates) `address` in every worker; rejects with the bind error of the first that fails (then none
   * listens). `exclusive`: before the first bind, check that no other socket holds the address (the workers share
   * it with SO_REUSEPORT, which would otherwise also share it with another process of the same user).
   */
  listen(
    address: string,
    spec: unknown,
    module: string,
    o: { relay: HttpHandler; log: ProviderContext['log']; exclusive?: boolean },
  ): Promise<void>;
  /** Closes `address` in every worker (requests in flight finish). */
  close(address: string): Promise<void>;
}
