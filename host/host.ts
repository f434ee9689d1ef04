import type { NatsConnection } from '@nats-io/transport-node';
import { EventType } from '../lattice/index.ts';
import type {
  ClaimsStore,
  ComponentDescription,
  ConfigStore,
  HostInfo,
  HostInventory,
  Link,
  LinkStore,
  ProviderDescription,
  RegistryCredentials,
} from '../lattice/index.ts';
import { HostMetrics } from './admin/metrics.ts';
import { startHostSampler } from './admin/metrics-sample.ts';
import type { MetricsSampler } from './admin/metrics-sample.ts';
import { Tracer } from './admin/tracing.ts';
import { CtlServer } from './ctl/server.ts';
import type { CtlContext } from './ctl/types.ts';
import { defaultVerifier, drainConnections } from './host-deps.ts';
import type { HostDeps, StopOptions } from './host-deps.ts';
import { compileHostOptions } from './host-options.ts';
import type { CompiledHostOptions, HostOptions } from './host-options.ts';
import { createLogger } from './logger.ts';
import type { Logger } from './logger.ts';
import { serveHostImport } from './links/host-imports.ts';
import { ImportRouter } from './links/import-router.ts';
import { LinkTable } from './links/link-table.ts';
import { hostInfo, hostInventory } from './host-info.ts';
import { checkLinkCaps, importDenied } from './links/link-caps.ts';
import { ComponentManager } from './workloads/component-manager.ts';
import { ProviderManager } from './workloads/provider-manager.ts';
import { HostSecrets } from './secrets/index.ts';
import { Dispatcher } from './invocation/dispatcher.ts';
import type { CallContext } from './workloads/runtime-port.ts';

export type { HostDeps, StopOptions } from './host-deps.ts';

/**
 * A weft host: joins a lattice, answers the control interface, publishes events and heartbeats.
 * Create with {@link Host.start}; it runs until {@link Host.stop} (or `host.stop` over the lattice).
 */
export class Host implements CtlContext {
  readonly opts: CompiledHostOptions;
  readonly #deps: HostDeps;
  readonly logger: Logger;
  readonly startedAt = Date.now();
  /** Resolves once the host has stopped (after `host_stopped` was published and NATS drained). */
  readonly stopped: Promise<void>;
  /** Runs components; undefined when the host was started without a runtime. */
  readonly components: ComponentManager | undefined;
  /** Prometheus metrics of this host (served by `--http-admin`). */
  readonly metrics: HostMetrics;
  /** Invocation spans (W3C trace context; OTLP export when configured). */
  readonly tracer: Tracer;
  /** Capability providers running in this host. */
  readonly providers: ProviderManager;
  /** Every link on the lattice, kept current from the link store. */
  readonly links = new LinkTable();
  readonly secrets: HostSecrets; // of its components and provider links (host/secrets/)
  readonly #imports: ImportRouter;
  #labels: Record<string, string>;
  #ctl: CtlServer;
  #heartbeat: NodeJS.Timeout | undefined;
  #sampler: MetricsSampler | undefined;
  #stopping = false;
  #started = false;
  #resolveStopped!: () => void;

  private constructor(opts: CompiledHostOptions, deps: HostDeps) {
    this.opts = opts;
    this.#deps = deps;
    this.#labels = { ...opts.labels };
    this.logger = (deps.logger ?? createLogger(deps.logLevel)).child({ host_id: opts.hostId, lattice: opts.lattice });
    this.#ctl = new CtlServer(this);
    this.metrics = new HostMetrics({ host_id: opts.hostId, lattice: opts.lattice }, deps.processMetrics ?? true);
    const runtime = deps.runtime;
    if (runtime?.stats) this.metrics.runtimeStats = () => runtime.stats!();
    this.tracer = new Tracer({
      endpoint: deps.otlpEndpoint,
      resource: { 'service.name': 'weft-host', 'service.instance.id': opts.hostId, 'weft.lattice': opts.lattice },
      logger: this.logger,
    });
    this.secrets = new HostSecrets(opts, { nc: deps.rpcNc ?? deps.nc, config: deps.config });
    this.components = deps.runtime
      ? new ComponentManager(
          {
            lattice: opts.lattice,
            hostId: opts.hostId,
            allowFileLoad: opts.allowFileLoad,
            maxComponentSizeBytes: opts.maxComponentSizeBytes,
            maxComponents: opts.maxComponents,
            oci: opts.oci,
          },
          {
            nc: deps.rpcNc ?? deps.nc,
            runtime: deps.runtime,
            verifier: this.secrets.noting(deps.verifier ?? defaultVerifier(opts, deps, this.logger)),
            secrets: this.secrets.components,
            artifacts: deps.artifacts,
            publish: (type, data) => this.publish(type, data),
            logger: this.logger,
            metrics: this.metrics,
            tracer: this.tracer,
            policy: deps.policy,
          },
        )
      : undefined;
    // where a call goes (a component here, a provider in this host, or the lattice): host/invocation/dispatcher.ts
    const dispatch = new Dispatcher({
      lattice: opts.lattice,
      nc: deps.rpcNc ?? deps.nc,
      components: () => this.components,
      providers: () => this.providers,
    });
    this.providers = new ProviderManager({
      lattice: opts.lattice,
      hostId: opts.hostId,
      nc: deps.rpcNc ?? deps.nc,
      links: this.links,
      config: deps.config,
      builtins: deps.builtinProviders ?? {},
      policy: deps.policy,
      external: deps.externalNats ? { nats: deps.externalNats, providerDirs: opts.allowProviderDirs } : undefined,
      healthIntervalMs: deps.providerHealthIntervalMs,
      invoke: (target, op, args, o) => dispatch.invoke(target, op, args, o),
      publish: (type, data) => this.publish(type, data),
      logger: this.logger,
      secrets: this.secrets.links,
      // a policy service sees each call on the main thread: the http-server listens there then
      workerHttp: deps.policy ? undefined : deps.runtime?.workerHttp,
    });
    this.#imports = new ImportRouter({
      lattice: opts.lattice,
      links: this.links,
      nc: deps.rpcNc ?? deps.nc,
      invokeLocal: (target, c) => dispatch.invokeLocal(target, c),
      capsOf: (id) => this.components?.capsOf(id),
    });
    this.stopped = new Promise((r) => (this.#resolveStopped = r));
  }

  /** Starts a host: subscribes to the control interface, publishes `host_started`, starts heartbeats. */
  static async start(options: HostOptions, deps: HostDeps): Promise<Host> {
    const host = new Host(compileHostOptions(options), deps);
    if (deps.links) await host.links.follow(deps.links);
    host.#ctl.start(deps.nc);
    await deps.nc.flush();
    host.publish(EventType.HostStarted, {
      friendly_name: host.friendlyName,
      labels: host.labels,
      uptime_seconds: 0,
      version: host.opts.version,
    });
    host.#heartbeat = setInterval(() => host.#beat(), host.opts.heartbeatIntervalMs);
    host.#heartbeat.unref();
    host.#beat();
    host.#sampler = startHostSampler(host, host.#deps);
    host.#started = true;
    host.logger.info({ friendly_name: host.friendlyName, labels: host.labels }, 'host started');
    return host;
  }

  /** Ready: started, not stopping, NATS connected. */
  isReady(): boolean {
    return !this.#stopping && !this.#deps.nc.isClosed() && this.#started;
  }

  get id(): string {
    return this.opts.hostId;
  }
  get lattice(): string {
    return this.opts.lattice;
  }
  get friendlyName(): string {
    return this.opts.friendlyName;
  }
  get labels(): Record<string, string> {
    return { ...this.#labels };
  }
  /** The NATS connection for ctl and events (the composition root watches its status). */
  get nc(): NatsConnection {
    return this.#deps.nc;
  }
  get config(): ConfigStore {
    return this.#deps.config;
  }
  get claims(): ClaimsStore {
    return this.#deps.claims;
  }
  get linkStore(): LinkStore | undefined {
    return this.#deps.links;
  }
  get registryCredentials(): Map<string, RegistryCredentials> {
    return this.opts.registryCredentials;
  }
  get uptimeSeconds(): number {
    return Math.floor((Date.now() - this.startedAt) / 1000);
  }

  /** Publishes a lattice event from this host. */
  publish(type: string, data: Record<string, unknown>): void {
    this.#deps.events.publish(type, this.id, data);
  }

  setLabel(key: string, value: string): void {
    this.#labels[key] = value;
    this.publish(EventType.LabelsChanged, { host_id: this.id, labels: this.labels });
  }

  deleteLabel(key: string): boolean {
    if (!(key in this.#labels)) return false;
    delete this.#labels[key];
    this.publish(EventType.LabelsChanged, { host_id: this.id, labels: this.labels });
    return true;
  }

  /**
   * Refuses a link whose source runs here with claims whose `caps` do not list the link's interface package.
   * @throws {HostError} HOST_REFUSED naming the missing capability.
   */
  checkLinkAllowed(link: Link): void {
    checkLinkCaps(link, this.components?.capsOf(link.source_id));
  }

  /**
   * Serves a guest's call on an imported interface (the runtime's `onImport`): follows the caller's link, by the link
   * name the guest chose (`ctx.linkNames`), continuing its trace (`ctx.traceparent`).
   */
  routeImport(componentId: string, iface: string, func: string, args: unknown[], ctx?: CallContext): Promise<unknown> {
    const denied = importDenied(componentId, iface, this.components?.capsOf(componentId)); // host-internal imports too
    if (denied) return Promise.reject(denied);
    const traced = (): Logger => (ctx?.traceId ? this.logger.child({ trace_id: ctx.traceId }) : this.logger);
    if (iface.startsWith('wasmcloud:secrets/')) return this.secrets.serveImport(componentId, iface, func, args)!;
    const internal = serveHostImport(
      {
        // only host-internal imports log (wasi:logging): the child logger with the trace id is made when one does
        get logger() {
          return traced();
        },
        config: this.config,
        configNamesOf: (id) => this.components?.configOf(id),
      },
      componentId,
      iface,
      func,
      args,
    );
    return internal ?? this.#imports.route(componentId, iface, func, args, ctx?.traceparent, ctx?.linkNames?.[iface]);
  }

  /** The `host.ping` reply. */
  info(): HostInfo {
    return hostInfo(this);
  }

  /** The inventory (`host.get` reply and heartbeat data). */
  inventory(): HostInventory {
    return hostInventory(this);
  }

  listComponents(): ComponentDescription[] {
    return this.components?.list() ?? [];
  }

  listProviders(): ProviderDescription[] {
    return this.providers.list();
  }

  /** Stops gracefully: stops serving, publishes `host_stopped`, drains NATS. Idempotent. */
  async stop(opts: StopOptions = {}): Promise<void> {
    if (this.#stopping) return this.stopped;
    this.#stopping = true;
    this.logger.info({ reason: opts.reason ?? 'stop' }, 'host stopping');
    clearInterval(this.#heartbeat);
    this.#sampler?.stop();
    this.#ctl.stop();
    this.links.stop();
    await this.providers.stopAll();
    await this.components?.stopAll().catch((err: unknown) => this.logger.warn({ err }, 'stopping components failed'));
    await this.#deps.runtime?.close().catch((err: unknown) => this.logger.warn({ err }, 'closing the runtime failed'));
    await this.tracer.flush();
    this.publish(EventType.HostStopped, { labels: this.labels });
    await drainConnections(this.#deps, opts.timeoutMs ?? 10_000, this.logger);
    this.logger.info('host stopped');
    this.#resolveStopped();
  }

  #beat(): void {
    this.publish(EventType.HostHeartbeat, { ...this.inventory() });
  }
}
