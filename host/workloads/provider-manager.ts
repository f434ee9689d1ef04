import type { NatsConnection } from '@nats-io/transport-node';
import { EventType } from '../../lattice/index.ts';
import { isSecretConfigName, SecretsError, SecretsErrorCode } from '../../lattice/secrets/index.ts';
import type {
  ConfigStore,
  Link,
  ProviderContext,
  ProviderDescription,
  ProviderFactory,
  Provider,
  RpcServing,
  StartProviderCommand,
} from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';
import type { LinkTable } from '../links/link-table.ts';
import type { Logger } from '../logger.ts';
import { builtinNatsOf, ExternalProviderProcess } from './external-provider.ts';
import type { ExternalNats } from './external-provider.ts';
import { providerFactoryFor } from './provider-factory.ts';
import { ProviderLinkSync } from './provider-link-sync.ts';
import type { LinkedProvider } from './provider-link-sync.ts';
import { serveProviderCalls } from './provider-rpc.ts';
import type { PolicyPort } from '../policy/index.ts';

/** What the provider manager is wired to. */
export interface ProviderManagerDeps {
  lattice: string;
  hostId: string;
  nc: NatsConnection;
  links: LinkTable;
  config: ConfigStore;
  builtins: Record<string, ProviderFactory>;
  /** NATS for external provider processes, and the directories `file://` provider refs may start from. */
  external?: { nats: ExternalNats; providerDirs: string[] };
  /** When set, `startProvider` is asked before a provider starts. */
  policy?: PolicyPort;
  /** Publishes health_check_* events at this interval (ms). @default 30000 */
  healthIntervalMs?: number;
  invoke: ProviderContext['invoke'];
  /** HTTP served in the guest workers, for the built-in http-server (absent: it listens on the main thread). */
  workerHttp?: ProviderContext['workerHttp'];
  publish: (type: string, data: Record<string, unknown>) => void;
  logger: Logger;
  /**
   * Providers' secrets (host/secrets/ LinkSecrets): their links' (`ProviderContext.linkSecrets`) and their own, the
   * `SECRET_…` names among the configs of a start (`ProviderContext.secrets`, HostData `secrets`).
   */
  secrets?: {
    /** `fresh`: skip the cache (a link being delivered). */
    forLink(link: Link, providerId: string, fresh?: boolean): ReturnType<NonNullable<ProviderContext['linkSecrets']>>;
    forProvider(configNames: readonly string[], providerId: string, application?: string): Promise<ProviderSecrets>;
  };
}

type ProviderSecrets = NonNullable<ProviderContext['secrets']>;
/** The wadm application a start belongs to (wasmCloud passes it to secrets backends). */
const APPSPEC_ANNOTATION = 'wasmcloud.dev/appspec';

interface RunningProvider extends LinkedProvider {
  ref: string;
  annotations: Record<string, string>;
  serving: RpcServing | undefined;
  healthy: boolean | undefined;
  timer: NodeJS.Timeout;
}

/**
 * Runs capability providers in this host (`weft+builtin://…`, or `file://` entries as their own processes):
 * start/stop with events, link put/delete delivered from the lattice's link table (provider-link-sync.ts), health
 * checks, component calls served in-process or from other hosts over the lattice (provider-rpc.ts).
 */
export class ProviderManager {
  readonly #d: ProviderManagerDeps;
  readonly #running = new Map<string, RunningProvider>();
  readonly #starting = new Set<string>();
  readonly #sync: ProviderLinkSync;
  readonly #unwatch: () => void;

  constructor(d: ProviderManagerDeps) {
    this.#d = d;
    const secrets = d.secrets;
    const refresh = secrets ? (l: Link, id: string) => secrets.forLink(l, id, true) : undefined;
    this.#sync = new ProviderLinkSync(d.links, d.config, d.logger, refresh);
    // each provider's failure is logged
    this.#unwatch = d.links.onChange((source) => void this.#syncAll(source).catch(() => undefined));
  }

  /** The OS process of an external provider, if it runs as one. */
  pidOf(id: string): number | undefined {
    const p = this.#running.get(id)?.provider;
    return p instanceof ExternalProviderProcess ? p.pid : undefined;
  }

  has(id: string): boolean {
    return this.#running.has(id);
  }

  list(): ProviderDescription[] {
    return [...this.#running.values()].map((p) => ({
      id: p.id,
      image_ref: p.ref,
      name: p.ref.replace(/^.*:\/\//, ''),
      revision: 0,
      annotations: p.annotations,
    }));
  }

  /** Accepted-but-async start: outcome as `provider_started` / `provider_start_failed`. */
  async start(cmd: StartProviderCommand): Promise<void> {
    const id = cmd.provider_id;
    let provider: Provider | undefined;
    const claimed = !this.#starting.has(id);
    try {
      if (this.#running.has(id)) throw new HostError(HostErrorCode.Refused, `provider ${id} already runs on this host`);
      // a second start while the first is still starting (an external process takes a moment) is refused too
      if (!claimed) throw new HostError(HostErrorCode.Refused, `provider ${id} is already starting on this host`);
      this.#starting.add(id);
      const factory = await providerFactoryFor(cmd, this.#d, (attempt) => this.#restarted(id, attempt));
      const config = await this.#sync.providerConfig(cmd.config);
      const secrets = await this.#secretsOf(cmd);
      provider = factory();
      await provider.init(this.#contextOf(id, config, secrets, await this.#sync.linksOf(id)));
      const p = this.#track(cmd, provider);
      await this.#sync.sync(p);
      this.#d.publish(EventType.ProviderStarted, {
        host_id: this.#d.hostId,
        image_ref: cmd.provider_ref,
        provider_id: id,
        annotations: p.annotations,
        claims: {},
        instance_id: id,
        public_key: id,
        link_name: 'default',
      });
    } catch (err) {
      if (provider && this.#running.get(id)?.provider !== provider)
        await Promise.resolve(provider.shutdown()).catch(() => undefined);
      this.#d.publish(EventType.ProviderStartFailed, {
        provider_ref: cmd.provider_ref,
        provider_id: id,
        host_id: this.#d.hostId,
        error: (err as Error).message,
        link_name: 'default',
      });
    } finally {
      if (claimed) this.#starting.delete(id);
    }
  }

  /**
   * The provider's own secrets (the `SECRET_…` names among its start's configs), fetched before it starts.
   * @throws {SecretsError} the resolver's coded error (SECRET_DENIED, SECRET_UNREACHABLE, …), never quoting a value.
   */
  async #secretsOf(cmd: StartProviderCommand): Promise<ProviderSecrets> {
    const names = cmd.config.filter(isSecretConfigName);
    if (names.length === 0) return {};
    if (!this.#d.secrets)
      throw new SecretsError(
        SecretsErrorCode.NotConfigured,
        `provider ${cmd.provider_id} uses secrets (${names.join(', ')}) but this host resolves none`,
      );
    return this.#d.secrets.forProvider(names, cmd.provider_id, cmd.annotations?.[APPSPEC_ANNOTATION]);
  }

  #contextOf(
    id: string,
    config: Record<string, string>,
    secrets: ProviderSecrets,
    links: ProviderContext['links'],
  ): ProviderContext {
    const bind = (o: Record<string, unknown>) => ({ provider_id: id, ...o });
    return {
      providerId: id,
      hostId: this.#d.hostId,
      lattice: this.#d.lattice,
      nc: this.#d.nc,
      natsOptions: builtinNatsOf(this.#d.external?.nats),
      config,
      secrets,
      links,
      invoke: this.#d.invoke,
      linkSecrets: this.#d.secrets ? (l) => this.#d.secrets!.forLink(l, id) : undefined,
      workerHttp: this.#d.workerHttp,
      log: {
        info: (o, m) => this.#d.logger.info(bind(o), m),
        warn: (o, m) => this.#d.logger.warn(bind(o), m),
        error: (o, m) => this.#d.logger.error(bind(o), m),
      },
    };
  }

  /** Registers a started provider: its calls served (in-process providers; a process serves its own), health timer. */
  #track(cmd: StartProviderCommand, provider: Provider): RunningProvider {
    const id = cmd.provider_id;
    const serving = provider.handleImport
      ? serveProviderCalls(this.#d.nc, {
          lattice: this.#d.lattice,
          id,
          provider,
          links: this.#d.links,
          resolve: (l) => this.#sync.resolve(l),
          logger: this.#d.logger,
        })
      : undefined;
    const p: RunningProvider = {
      id,
      ref: cmd.provider_ref,
      provider,
      annotations: cmd.annotations ?? {},
      applied: new Map(),
      serving,
      healthy: undefined,
      timer: setInterval(
        () =>
          void this.#checkHealth(p).catch((err: unknown) =>
            this.#d.logger.warn({ provider_id: id, err: (err as Error).message }, 'health check failed'),
          ),
        this.#d.healthIntervalMs ?? 30_000,
      ),
    };
    p.timer.unref();
    this.#running.set(id, p);
    return p;
  }

  /** After a supervised restart: links are re-sent, a health check follows. */
  #restarted(id: string, attempt: number): void {
    const p = this.#running.get(id);
    if (!p) return;
    this.#d.logger.info({ provider_id: id, attempt }, 'provider process restarted');
    p.applied.clear();
    void this.#sync
      .sync(p)
      .then(() => this.#checkHealth(p))
      .catch((err: unknown) =>
        this.#d.logger.warn({ provider_id: id, err: (err as Error).message }, 'provider link sync failed'),
      );
  }

  /** Asks a provider's health; publishes health_check_passed/failed on a change, health_check_status otherwise. */
  async #checkHealth(p: RunningProvider): Promise<void> {
    const h = await Promise.resolve()
      .then(() => p.provider.health?.() ?? { healthy: true })
      .catch((err: unknown) => ({ healthy: false, message: String(err) }));
    const data = { host_id: this.#d.hostId, provider_id: p.id, healthy: h.healthy, message: h.message };
    if (h.healthy !== p.healthy)
      this.#d.publish(h.healthy ? EventType.HealthCheckPassed : EventType.HealthCheckFailed, data);
    else this.#d.publish(EventType.HealthCheckStatus, data);
    p.healthy = h.healthy;
  }

  async stop(id: string, reason = 'stop'): Promise<void> {
    const p = this.#running.get(id);
    if (!p) return;
    this.#running.delete(id);
    clearInterval(p.timer);
    await p.serving?.drain(2000);
    await Promise.resolve(p.provider.shutdown()).catch((err: unknown) =>
      this.#d.logger.warn({ err, provider_id: id }, 'provider shutdown failed'),
    );
    this.#d.publish(EventType.ProviderStopped, {
      host_id: this.#d.hostId,
      provider_id: id,
      annotations: p.annotations,
      reason,
      instance_id: id,
      public_key: id,
      link_name: 'default',
    });
  }

  async stopAll(): Promise<void> {
    this.#unwatch();
    await Promise.all([...this.#running.keys()].map((id) => this.stop(id, 'host stopping')));
  }

  /** Serves a component's import in-process; undefined when the target provider does not run here. */
  handleImport(
    targetId: string,
    sourceId: string,
    link: Link,
    iface: string,
    func: string,
    args: unknown[],
  ): Promise<unknown> | undefined {
    const p = this.#running.get(targetId);
    if (!p?.provider.handleImport) return undefined; // not here, or an external process: the call goes over NATS
    return this.#sync.resolve(link).then((r) => p.provider.handleImport!(sourceId, r, iface, func, args));
  }

  async #syncAll(putFrom: string): Promise<void> {
    for (const p of this.#running.values())
      await this.#sync
        .sync(p, putFrom)
        .catch((err: unknown) =>
          this.#d.logger.warn({ provider_id: p.id, err: (err as Error).message }, 'provider link sync failed'),
        );
  }
}
