import type { HttpSink, WorkerHttpPort } from '../../lattice/index.ts';

/** A component as the runtime loaded it. */
export interface LoadedArtifact {
  /** sha256 hex of the component bytes. */
  digest: string;
}

/**
 * What the host knows about an invocation, handed to the runtime with the call and back with the guest's imports
 * and log lines during it.
 */
export interface CallContext {
  /** W3C `traceparent` of the invocation's span. */
  traceparent?: string;
  traceId?: string;
  /** On imports: link names the guest chose with `wasmcloud:bus/lattice.set-link-name` (interface → name). */
  linkNames?: Record<string, string>;
  /** An HTTP handler's response streams here as the guest writes it (calls from an in-host http-server). */
  httpSink?: HttpSink;
  /** An HTTP handler's request body, read as the guest reads it (the request's own `body` is then empty). */
  httpBody?: AsyncIterable<Uint8Array>;
}

/** An HTTP handler's streams: where its response goes, where its request body comes from. */
export type HttpStreams = Pick<CallContext, 'httpSink' | 'httpBody'>;

/**
 * What the component manager needs from the component runtime (`host/components`). Kept narrow so the manager's
 * logic (events, limits, serialisation) is independent of how guests are executed.
 */
export interface RuntimePort<L extends LoadedArtifact = LoadedArtifact> {
  /** Validates and prepares (transpiles, caches) a component. Throws a coded error for a non-component. */
  load(bytes: Uint8Array): Promise<L>;
  /** Starts serving `id` with up to `maxInstances` concurrent instances. */
  start(
    id: string,
    loaded: L,
    opts: { maxInstances: number; env?: Record<string, string>; stateful?: boolean },
  ): Promise<void>;
  /** Changes the concurrency limit of a running component. */
  setMaxInstances(id: string, maxInstances: number): Promise<void> | void;
  /** Swaps in a new version; in-flight calls finish on the old one. */
  update(id: string, loaded: L): Promise<void>;
  /** Calls an export with JSON-mapped args. Throws a coded error on trap, timeout, bad args. */
  /** `ctx` comes back with the guest's imports and log lines during this call (trace context). */
  invoke(id: string, operation: string, args: unknown[], ctx?: CallContext): Promise<unknown>;
  /** Throws a coded error (COMP_NO_SUCH_EXPORT) unless `id` exports `operation`; checked before policy and metrics. */
  resolveExport?(id: string, operation: string): void;
  /** Live instances and linear-memory bytes per running component (for /metrics). */
  stats?(): Promise<Record<string, { instances: number; memoryBytes: number }>>;
  /** HTTP served in the guest workers (the built-in http-server's listeners run there; see `WorkerHttpPort`). */
  workerHttp?: WorkerHttpPort;
  /** Guest workers, calls admitted now and the admission cap (for the metrics sample). */
  usage?(): { guestWorkers: number; instancesInUse: number; instanceCap: number };
  /** True when the runtime serves lattice calls itself (in its guest workers: `serve`, `unserve`). */
  readonly servesLattice?: boolean;
  /** What the host does for the lattice calls the runtime serves: policy decisions, metrics of served calls. */
  setLatticeHooks?(h: {
    lattice: string;
    authorize?: (id: string, operation: string) => Promise<void>;
    report: (served: ServedCall[]) => void;
    spans: boolean;
  }): void;
  /** Serves `id`'s lattice calls; resolves once they are served (see `servesLattice`). */
  serve?(id: string): Promise<void>;
  /** Stops serving `id`'s lattice calls; resolves once those in flight have answered. */
  unserve?(id: string): Promise<void>;
  stop(id: string): Promise<void>;
  close(): Promise<void>;
}

/** Claims summary of a verified component (issue: claims-based security). */
export interface VerifiedComponent {
  /** Subject public key (M…), when signed. */
  publicKey?: string;
  claims?: Record<string, unknown>;
  /** The capability interfaces the claims allow (undefined = not restricted). */
  caps?: string[];
  /** Issuer (A…) and expiry (seconds since epoch) of the claims, when signed. */
  issuer?: string;
  expiresAt?: number;
}

/** Port: decides whether a component may run (signature, hash, expiry, issuers, policy). Throws a coded error if not. */
export interface ComponentVerifier {
  verify(
    bytes: Uint8Array,
    ctx: { componentId: string; imageRef: string; maxInstances: number; annotations: Record<string, string> },
  ): Promise<VerifiedComponent>;
}

/** One call served in a guest worker, as the worker reports it (metrics, spans and failures on the main thread). */
export interface ServedCall {
  cid: string;
  /** Cut at 200 characters. */
  op: string;
  /** The component has no such export (counted under `_unknown`). */
  unknown?: boolean;
  seconds: number;
  code?: string;
  message?: string;
  /** Its span, when the host exports spans. */
  span?: { traceId: string; spanId: string; parent?: string; start: number };
}
