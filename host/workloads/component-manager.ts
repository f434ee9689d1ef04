import { EventType, KeyedSerial } from '../../lattice/index.ts';
import type { ComponentDescription, ScaleComponentCommand, UpdateComponentCommand } from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';
import { serveLatticeCalls, type Serving } from './rpc-server.ts';
import { failedEvent, prepareComponent, scaledEvent } from './component-prepare.ts';
import { Interceptors } from '../invocation/interceptors.ts';
import type { HttpStreams, VerifiedComponent } from './runtime-port.ts';
import type { ComponentManagerDeps, ComponentManagerOptions } from './component-manager-deps.ts';
import { ClaimsExpiry } from './claims-expiry.ts';

/**
 * Scale-command annotation that keeps one instance per pool slot across calls (guest globals survive between
 * invocations); without it every call gets a fresh or reset instance and no caller's state reaches the next.
 */
export const STATEFUL_ANNOTATION = 'weft.dev/stateful';

export type { ComponentManagerDeps, ComponentManagerOptions } from './component-manager-deps.ts';

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
  sub: Serving;
}

/**
 * Runs components on one host: scale, update, stop, invocation serving and their events. Commands on one
 * component id run one after another; different ids proceed in parallel.
 */
export class ComponentManager {
  readonly #o: ComponentManagerOptions;
  readonly #d: ComponentManagerDeps;
  readonly #running = new Map<string, Running>();
  readonly #queues = new KeyedSerial();
  readonly #expiry = new ClaimsExpiry(
    (id, task) => this.#serial(id, task),
    (id, why) => this.#stop(id, false, why),
    () => this.#d.logger,
  );
  readonly #calls: Interceptors;
  constructor(opts: ComponentManagerOptions, deps: ComponentManagerDeps) {
    this.#o = opts;
    this.#d = deps;
    this.#calls = new Interceptors({
      ...deps,
      hostId: opts.hostId,
      targetOf: (id) => {
        const r = this.#running.get(id);
        return r && { componentId: id, imageRef: r.imageRef, maxInstances: r.maxInstances, annotations: r.annotations };
      },
    });
    // lattice calls are served in the guest workers when the runtime can: they ask and report back here
    deps.runtime.setLatticeHooks?.(this.#calls.latticeHooks(opts.lattice));
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
    return this.#calls.run(id, operation, args, traceparent, http);
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
    const sub = await this.#serve(cmd.component_id);
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

  #serve(id: string): Promise<Serving> {
    return serveLatticeCalls(this.#d.runtime, this.#d.nc, this.#o.lattice, id, this.#calls, this.#d.logger);
  }

  #prepare(ref: string, id: string, maxInstances: number, annotations: Record<string, string>) {
    return prepareComponent({ ...this.#o, ...this.#d }, ref, id, maxInstances, annotations);
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

  #scaled(id: string, ref: string, max: number, ann: Record<string, string>, v: VerifiedComponent, why?: string) {
    this.#d.publish(EventType.ComponentScaled, scaledEvent(this.#o.hostId, id, ref, max, ann, v, why));
  }

  #failed(id: string, ref: string, max: number, annotations: Record<string, string>, err: unknown): void {
    const e = failedEvent(this.#o.hostId, id, ref, max, annotations, err);
    this.#d.logger.warn({ component_id: id, image_ref: ref, error: e.error }, 'component scale failed');
    this.#d.publish(EventType.ComponentScaleFailed, e);
  }

  #serial(id: string, fn: () => Promise<void>): Promise<void> {
    return this.#queues.run(id, fn);
  }
}
