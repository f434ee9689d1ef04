import type { NatsConnection } from '@nats-io/transport-node';
import { EventType, RpcHeader, wasmKindOf } from '../../lattice/index.ts';
import type {
  ArtifactStore,
  ComponentDescription,
  ScaleComponentCommand,
  UpdateComponentCommand,
} from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';
import { UNKNOWN_OPERATION, type HostMetrics } from '../admin/metrics.ts';
import type { Tracer } from '../admin/tracing.ts';
import type { Logger } from '../logger.ts';
import { fetchResolvedArtifact, type FetchArtifactOptions } from './artifact-loader.ts';
import { serveComponentRpc, type RpcServing } from './rpc-server.ts';
import type {
  CallContext,
  ComponentVerifier,
  HttpStreams,
  LoadedArtifact,
  RuntimePort,
  VerifiedComponent,
} from './runtime-port.ts';
import type { PolicyPort } from './claims-verifier.ts';
import { ClaimsExpiry } from './claims-expiry.ts';
import { authorizeInvocation } from './invocation-policy.ts';

/**
 * Scale-command annotation that keeps one instance per pool slot across calls (guest globals survive between
 * invocations); without it every call gets a fresh or reset instance and no caller's state reaches the next.
 */
export const STATEFUL_ANNOTATION = 'weft.dev/stateful';

/** Limits and switches of the component manager (host flags; `oci`: insecure registries and credentials of pulls). */
export interface ComponentManagerOptions extends Pick<FetchArtifactOptions, 'allowFileLoad' | 'oci'> {
  lattice: string;
  hostId: string;
  maxComponentSizeBytes: number;
  maxComponents: number;
}

/** What the manager is wired to. */
export interface ComponentManagerDeps {
  nc: NatsConnection;
  runtime: RuntimePort;
  verifier: ComponentVerifier;
  artifacts?: ArtifactStore;
  publish: (type: string, data: Record<string, unknown>) => void;
  logger: Logger;
  metrics?: HostMetrics;
  /** Opens a span per invocation (trace context for logs, imports and calls it makes). */
  tracer?: Tracer;
  /** When set, every incoming invocation is checked (`performInvocation`, decisions cached per component and function). */
  policy?: PolicyPort;
  /** Fetches the secrets (`SECRET_…` configs) of a component before it starts or is updated (host/secrets/). */
  secrets?: {
    load(id: string, config: string[], annotations: Record<string, string>): Promise<void>;
    forget(id: string): void;
  };
}

interface Running {
  id: string;
  imageRef: string;
  digest: string;
  /** OCI refs: the manifest digest the ref resolved to when this instance was pulled (a moved tag does not change it). */
  imageDigest?: string;
  maxInstances: number;
  annotations: Record<string, string>;
  revision: number;
  config: string[];
  verified: VerifiedComponent;
  sub: RpcServing;
}

/**
 * Runs components on one host: scale, update, stop, invocation serving and their events. Commands on one
 * component id run one after another; different ids proceed in parallel.
 */
export class ComponentManager {
  readonly #o: ComponentManagerOptions;
  readonly #d: ComponentManagerDeps;
  readonly #running = new Map<string, Running>();
  readonly #queues = new Map<string, Promise<void>>();
  readonly #expiry = new ClaimsExpiry(
    (id, task) => this.#serial(id, task),
    (id, why) => this.#stop(id, false, why),
    () => this.#d.logger,
  );
  constructor(opts: ComponentManagerOptions, deps: ComponentManagerDeps) {
    this.#o = opts;
    this.#d = deps;
  }

  /** Inventory rows. */
  list(): ComponentDescription[] {
    return [...this.#running.values()].map((r) => ({
      id: r.id,
      image_ref: r.imageRef,
      annotations: r.annotations,
      revision: r.revision,
      max_instances: r.maxInstances,
      name: typeof r.verified.claims?.['name'] === 'string' ? r.verified.claims['name'] : undefined,
      digest: r.digest,
      ...(r.imageDigest ? { image_digest: r.imageDigest } : {}),
      config: r.config,
      ...(r.verified.issuer ? { issuer: r.verified.issuer, caps: r.verified.caps } : {}),
    }));
  }

  has(id: string): boolean {
    return this.#running.has(id);
  }

  /** Names of the configs a running component was scaled with. */
  configOf(id: string): string[] | undefined {
    return this.#running.get(id)?.config;
  }

  /** Capabilities the claims of a running component allow (undefined = unrestricted). */
  capsOf(id: string): string[] | undefined {
    return this.#running.get(id)?.verified.caps;
  }

  /** Runs `count` instances (0 stops). Outcome is published as `component_scaled` / `component_scale_failed`. */
  scale(cmd: ScaleComponentCommand): Promise<void> {
    return this.#serial(cmd.component_id, () => this.#scale(cmd));
  }

  /** Live update to a new ref; in-flight calls finish on the old version. */
  update(cmd: UpdateComponentCommand): Promise<void> {
    return this.#serial(cmd.component_id, () => this.#update(cmd));
  }

  /** Invokes a running component directly (same host, no NATS hop); `traceparent` continues the caller's trace; an HTTP handler streams through `http` (see `ProviderContext.invoke`). */
  async invoke(
    id: string,
    operation: string,
    args: unknown[],
    traceparent?: string,
    http?: HttpStreams,
  ): Promise<unknown> {
    if (!this.#running.has(id))
      throw new HostError(HostErrorCode.NotFound, `component "${id}" is not running on this host`);
    return this.#traced(id, operation, args, traceparent, http);
  }

  /** One span per invocation, child of the caller's `traceparent` (a new trace when there is none). */
  async #traced(
    id: string,
    operation: string,
    args: unknown[],
    traceparent: string | undefined,
    http?: HttpStreams,
  ): Promise<unknown> {
    const span = this.#d.tracer?.start(`${id} ${operation}`, traceparent, {
      'weft.component_id': id,
      'rpc.method': operation,
      'weft.host_id': this.#o.hostId,
    });
    try {
      const ctx =
        span || http ? { traceparent: span?.traceparent, traceId: span?.context.traceId, ...http } : undefined;
      const out = await this.#measured(id, operation, args, ctx);
      span?.end();
      return out;
    } catch (err) {
      const e = err as Error & { code?: unknown };
      const code = typeof e.code === 'string' ? e.code : 'ERROR';
      span?.end({ code, message: e.message });
      // the guest's own failures (trap, time or memory limit) are worth a warning; a caller's mistakes are not
      const guest =
        code === 'COMP_TRAP' || code === 'COMP_TIMEOUT' || code === 'COMP_MEMORY_LIMIT' || code === 'COMP_WORKER_LOST';
      this.#d.logger[guest ? 'warn' : 'debug'](
        { component_id: id, function: operation, trace_id: span?.context.traceId, code, err: e.message },
        guest ? 'guest failed' : 'invocation failed',
      );
      throw err;
    }
  }

  async #authorize(id: string, operation: string): Promise<void> {
    const cur = this.#running.get(id);
    if (!this.#d.policy || !cur) return;
    await authorizeInvocation(
      this.#d.policy,
      { componentId: id, imageRef: cur.imageRef, maxInstances: cur.maxInstances, annotations: cur.annotations },
      operation,
    );
  }

  async #measured(id: string, operation: string, args: unknown[], ctx?: CallContext): Promise<unknown> {
    // refused before the policy service (a cache entry per name) and metrics (a label per name) see a caller's name
    await (async () => this.#d.runtime.resolveExport?.(id, operation))().catch((err: { code?: unknown }) => {
      this.#d.metrics?.observe(id, UNKNOWN_OPERATION, 0, String(err.code));
      throw err;
    });
    await this.#authorize(id, operation);
    const m = this.#d.metrics;
    if (!m) return this.#d.runtime.invoke(id, operation, args, ctx);
    const t0 = performance.now();
    try {
      const out = await this.#d.runtime.invoke(id, operation, args, ctx);
      m.observe(id, operation, (performance.now() - t0) / 1000);
      return out;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      m.observe(id, operation, (performance.now() - t0) / 1000, typeof code === 'string' ? code : 'UNKNOWN');
      throw err;
    }
  }

  /** Stops every component (host shutdown). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#running.keys()].map((id) => this.#serial(id, () => this.#stop(id, true))));
  }

  async #scale(cmd: ScaleComponentCommand): Promise<void> {
    const cur = this.#running.get(cmd.component_id);
    const annotations = cmd.annotations ?? {};
    try {
      if (cmd.count === 0) {
        if (cur) await this.#stop(cmd.component_id, false);
        else this.#scaled(cmd.component_id, cmd.component_ref, 0, annotations, {});
        return;
      }
      if (cur && cur.imageRef === cmd.component_ref) {
        await this.#d.runtime.setMaxInstances(cur.id, cmd.count);
        cur.maxInstances = cmd.count;
        this.#d.metrics?.instances.set({ component_id: cur.id }, cmd.count);
        cur.annotations = { ...cur.annotations, ...annotations };
        this.#scaled(cur.id, cur.imageRef, cur.maxInstances, cur.annotations, cur.verified);
        return;
      }
      if (cur && !cmd.allow_update) {
        throw new HostError(
          HostErrorCode.Refused,
          `component "${cur.id}" already runs ${cur.imageRef}; scale with allow_update or run \`weft update component\``,
        );
      }
      if (cur) {
        await this.#update({
          component_id: cur.id,
          new_component_ref: cmd.component_ref,
          host_id: this.#o.hostId,
          annotations,
        });
        await this.#d.runtime.setMaxInstances(cur.id, cmd.count);
        cur.maxInstances = cmd.count;
        return;
      }
      if (this.#running.size >= this.#o.maxComponents) {
        throw new HostError(
          HostErrorCode.Refused,
          `host runs ${this.#running.size} components, its --max-components limit`,
        );
      }
      await this.#start(cmd, annotations);
    } catch (err) {
      this.#failed(cmd.component_id, cmd.component_ref, cmd.count, annotations, err);
    }
  }

  async #start(cmd: ScaleComponentCommand, annotations: Record<string, string>): Promise<void> {
    const { bytes, verified, loaded, imageDigest } = await this.#prepare(
      cmd.component_ref,
      cmd.component_id,
      cmd.count,
      annotations,
    );
    await this.#d.secrets?.load(cmd.component_id, cmd.config ?? [], annotations);
    await this.#d.runtime.start(cmd.component_id, loaded, {
      maxInstances: cmd.count,
      stateful: annotations[STATEFUL_ANNOTATION] === 'true',
    });
    const sub = serveComponentRpc(
      this.#d.nc,
      this.#o.lattice,
      cmd.component_id,
      (op, args, msg) => this.#traced(cmd.component_id, op, args, msg.headers?.get(RpcHeader.TraceParent) || undefined),
      this.#d.logger,
    );
    this.#running.set(cmd.component_id, {
      id: cmd.component_id,
      imageRef: cmd.component_ref,
      digest: loaded.digest,
      imageDigest,
      maxInstances: cmd.count,
      annotations,
      revision: 0,
      config: cmd.config ?? [],
      verified,
      sub,
    });
    this.#expiry.watch(cmd.component_id, verified.expiresAt);
    // no flush: NATS handles this connection's SUB before the event's PUB, so a caller that saw the event is served
    this.#d.metrics?.instances.set({ component_id: cmd.component_id }, cmd.count);
    this.#d.logger.info(
      { component_id: cmd.component_id, image_ref: cmd.component_ref, bytes: bytes.length, issuer: verified.issuer },
      'component started',
    );
    this.#scaled(cmd.component_id, cmd.component_ref, cmd.count, annotations, verified);
  }

  async #prepare(ref: string, id: string, maxInstances: number, annotations: Record<string, string>) {
    const { bytes, imageDigest } = await fetchResolvedArtifact(ref, {
      allowFileLoad: this.#o.allowFileLoad,
      oci: this.#o.oci,
      maxBytes: this.#o.maxComponentSizeBytes,
      store: this.#d.artifacts,
      annotations,
    });
    const kind = wasmKindOf(bytes);
    if (kind !== 'component') {
      throw new HostError(
        HostErrorCode.Refused,
        kind === 'module'
          ? `${ref} is a core Wasm module, not a component; build it as a component`
          : `${ref} is not a Wasm component (bad magic or version)`,
      );
    }
    const verified = await this.#d.verifier.verify(bytes, {
      componentId: id,
      imageRef: ref,
      maxInstances,
      annotations,
    });
    const loaded: LoadedArtifact = await this.#d.runtime.load(bytes);
    return { bytes, verified, loaded, imageDigest };
  }

  async #update(cmd: UpdateComponentCommand): Promise<void> {
    const cur = this.#running.get(cmd.component_id);
    const annotations = { ...(cur?.annotations ?? {}), ...(cmd.annotations ?? {}) };
    try {
      if (!cur)
        throw new HostError(HostErrorCode.NotFound, `component "${cmd.component_id}" is not running on this host`);
      const { verified, loaded, imageDigest } = await this.#prepare(
        cmd.new_component_ref,
        cur.id,
        cur.maxInstances,
        annotations,
      );
      await this.#d.secrets?.load(cur.id, cur.config, annotations);
      await this.#d.runtime.update(cur.id, loaded);
      Object.assign(cur, {
        imageRef: cmd.new_component_ref,
        digest: loaded.digest,
        imageDigest,
        revision: cur.revision + 1,
        verified,
        annotations,
      });
      this.#expiry.watch(cur.id, verified.expiresAt);
      this.#scaled(cur.id, cur.imageRef, cur.maxInstances, annotations, verified);
    } catch (err) {
      this.#failed(cmd.component_id, cmd.new_component_ref, cur?.maxInstances ?? 0, annotations, err);
    }
  }

  async #stop(id: string, quiet: boolean, reason?: string): Promise<void> {
    const cur = this.#running.get(id);
    if (!cur) return;
    this.#running.delete(id);
    this.#d.secrets?.forget(id);
    this.#d.metrics?.instances.remove({ component_id: id });
    await cur.sub.drain(); // in-flight calls answer before the instances go away
    await this.#d.runtime.stop(id);
    if (!quiet) this.#scaled(id, cur.imageRef, 0, cur.annotations, cur.verified, reason);
  }

  #scaled(
    id: string,
    ref: string,
    max: number,
    annotations: Record<string, string>,
    v: VerifiedComponent,
    reason?: string,
  ): void {
    this.#d.publish(EventType.ComponentScaled, {
      component_id: id,
      image_ref: ref,
      host_id: this.#o.hostId,
      max_instances: max,
      annotations,
      ...(v.publicKey ? { public_key: v.publicKey, claims: v.claims } : {}),
      ...(reason ? { reason } : {}),
    });
  }

  #failed(id: string, ref: string, max: number, annotations: Record<string, string>, err: unknown): void {
    const message = (err as Error)?.message ?? String(err);
    this.#d.logger.warn({ component_id: id, image_ref: ref, error: message }, 'component scale failed');
    this.#d.publish(EventType.ComponentScaleFailed, {
      component_id: id,
      image_ref: ref,
      host_id: this.#o.hostId,
      max_instances: max,
      annotations,
      error: message,
    });
  }

  #serial(id: string, fn: () => Promise<void>): Promise<void> {
    const next = (this.#queues.get(id) ?? Promise.resolve()).then(fn, fn);
    this.#queues.set(id, next);
    void next.finally(() => {
      if (this.#queues.get(id) === next) this.#queues.delete(id);
    });
    return next;
  }
}
