import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  decodeRpc,
  encodeRpc,
  errorHeaders,
  EventType,
  parseArtifactRef,
  rpcSubject,
  RpcHeader,
  WitError,
} from '../../lattice/index.ts';
import type {
  ConfigStore,
  Link,
  ProviderContext,
  ProviderDescription,
  ProviderFactory,
  Provider,
  ResolvedLink,
  StartProviderCommand,
} from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';
import type { LinkTable } from '../links/link-table.ts';
import type { Logger } from '../logger.ts';
import { builtinNatsOf, ExternalProviderProcess } from './external-provider.ts';
import type { ExternalNats } from './external-provider.ts';
import { resolveProviderFile } from './provider-file.ts';
import type { PolicyPort } from './claims-verifier.ts';

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
  publish: (type: string, data: Record<string, unknown>) => void;
  logger: Logger;
}

interface RunningProvider {
  id: string;
  ref: string;
  provider: Provider;
  annotations: Record<string, string>;
  applied: Map<string, Link>;
  sub: Subscription | undefined;
  healthy: boolean | undefined;
  timer: NodeJS.Timeout;
}

const linkKey = (l: Link, role: string): string =>
  `${role}|${l.source_id}|${l.target}|${l.wit_namespace}:${l.wit_package}|${l.name}|${l.interfaces.join(',')}|${l.source_config.join(',')}|${l.target_config.join(',')}`;

/**
 * Runs capability providers in this host (`weft+builtin://…`): start/stop with events, link put/delete delivered
 * from the lattice's link table, component calls served in-process or from other hosts over the lattice.
 */
export class ProviderManager {
  readonly #d: ProviderManagerDeps;
  readonly #running = new Map<string, RunningProvider>();
  readonly #starting = new Set<string>();
  readonly #unwatch: () => void;

  constructor(d: ProviderManagerDeps) {
    this.#d = d;
    this.#unwatch = d.links.onChange(
      () =>
        void this.#syncAll().catch((err: unknown) =>
          d.logger.warn({ err: (err as Error).message }, 'provider link sync failed'),
        ),
    );
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
    const annotations = cmd.annotations ?? {};
    let provider: Provider | undefined;
    const claimed = !this.#starting.has(cmd.provider_id);
    try {
      if (this.#running.has(cmd.provider_id))
        throw new HostError(HostErrorCode.Refused, `provider ${cmd.provider_id} already runs on this host`);
      // a second start while the first is still starting (an external process takes a moment) is refused too
      if (!claimed)
        throw new HostError(HostErrorCode.Refused, `provider ${cmd.provider_id} is already starting on this host`);
      this.#starting.add(cmd.provider_id);
      const ref = parseArtifactRef(cmd.provider_ref);
      let factory = ref.kind === 'builtin' ? this.#d.builtins[ref.name] : undefined;
      if (ref.kind === 'file') {
        const ext = this.#d.external;
        const path = await resolveProviderFile(ref.path, ext?.providerDirs ?? [], this.#d.logger);
        if (ext)
          factory = () =>
            new ExternalProviderProcess(path, ext.nats, this.#d.logger, (attempt) =>
              this.#restarted(cmd.provider_id, attempt),
            );
      }
      if (!factory) {
        throw new HostError(
          HostErrorCode.Refused,
          `unknown provider ${cmd.provider_ref}: built-ins are ${Object.keys(this.#d.builtins)
            .map((n) => `weft+builtin://${n}`)
            .join(', ')}`,
        );
      }
      if (this.#d.policy) {
        const d = await this.#d.policy.evaluate(
          'startProvider',
          { providerId: cmd.provider_id, imageRef: cmd.provider_ref, annotations },
          `${cmd.provider_id}|${cmd.provider_ref}`,
        );
        if (!d.permitted)
          throw new HostError(
            HostErrorCode.Refused,
            `policy service denied starting provider ${cmd.provider_id}: ${d.message || 'no reason given'}`,
          );
      }
      const config = await this.#mergedConfig(cmd.config);
      provider = factory();
      await provider.init({
        providerId: cmd.provider_id,
        hostId: this.#d.hostId,
        lattice: this.#d.lattice,
        nc: this.#d.nc,
        natsOptions: builtinNatsOf(this.#d.external?.nats),
        config,
        links: await Promise.all(
          this.#d.links
            .all()
            .filter((l) => l.source_id === cmd.provider_id || l.target === cmd.provider_id)
            .map((l) => this.#resolve(l)),
        ),
        invoke: this.#d.invoke,
        log: {
          info: (o, m) => this.#d.logger.info({ provider_id: cmd.provider_id, ...o }, m),
          warn: (o, m) => this.#d.logger.warn({ provider_id: cmd.provider_id, ...o }, m),
          error: (o, m) => this.#d.logger.error({ provider_id: cmd.provider_id, ...o }, m),
        },
      });
      // in-process providers are served here; an external process serves its own subject
      const sub = provider.handleImport ? this.#serveRpc(cmd.provider_id, provider) : undefined;
      const p: RunningProvider = {
        id: cmd.provider_id,
        ref: cmd.provider_ref,
        provider,
        annotations,
        applied: new Map(),
        sub,
        healthy: undefined,
        timer: setInterval(
          () =>
            void this.#checkHealth(p).catch((err: unknown) =>
              this.#d.logger.warn({ provider_id: p.id, err: (err as Error).message }, 'health check failed'),
            ),
          this.#d.healthIntervalMs ?? 30_000,
        ),
      };
      p.timer.unref();
      this.#running.set(p.id, p);
      await this.#sync(p);
      this.#d.publish(EventType.ProviderStarted, {
        host_id: this.#d.hostId,
        image_ref: cmd.provider_ref,
        provider_id: p.id,
        annotations,
        claims: {},
        instance_id: p.id,
        public_key: p.id,
        link_name: 'default',
      });
    } catch (err) {
      if (provider && this.#running.get(cmd.provider_id)?.provider !== provider)
        await Promise.resolve(provider.shutdown()).catch(() => undefined);
      this.#d.publish(EventType.ProviderStartFailed, {
        provider_ref: cmd.provider_ref,
        provider_id: cmd.provider_id,
        host_id: this.#d.hostId,
        error: (err as Error).message,
        link_name: 'default',
      });
    } finally {
      if (claimed) this.#starting.delete(cmd.provider_id);
    }
  }

  /** After a supervised restart: links are re-sent, a health check follows. */
  #restarted(id: string, attempt: number): void {
    const p = this.#running.get(id);
    if (!p) return;
    this.#d.logger.info({ provider_id: id, attempt }, 'provider process restarted');
    p.applied.clear();
    void this.#sync(p)
      .then(() => this.#checkHealth(p))
      .catch((err: unknown) =>
        this.#d.logger.warn({ provider_id: id, err: (err as Error).message }, 'provider link sync failed'),
      );
  }

  async #checkHealth(p: RunningProvider): Promise<void> {
    const h = await Promise.resolve(p.provider.health?.() ?? { healthy: true }).catch((err: unknown) => ({
      healthy: false,
      message: String(err),
    }));
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
    p.sub?.unsubscribe();
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
    if (!p) return undefined;
    if (!p.provider.handleImport) return undefined; // an external provider process: the call goes over NATS
    return this.#resolve(link).then((r) => p.provider.handleImport!(sourceId, r, iface, func, args));
  }

  async #mergedConfig(names: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const n of names) {
      const v = await this.#d.config.get(n);
      if (!v)
        throw new HostError(
          HostErrorCode.Refused,
          `config "${n}" does not exist; create it with \`weft config put ${n} KEY=VALUE\``,
        );
      Object.assign(out, v);
    }
    return out;
  }

  async #resolve(link: Link): Promise<ResolvedLink> {
    const load = async (names: string[]) => {
      const out: Record<string, string> = {};
      for (const n of names) {
        const v = await this.#d.config
          .get(n)
          .catch(
            (err: unknown) =>
              void this.#d.logger.warn(
                { config: n, err: (err as Error).message },
                'link config unreadable: delivered without it',
              ),
          );
        Object.assign(out, v ?? {});
      }
      return out;
    };
    return {
      ...link,
      source_config_values: await load(link.source_config),
      target_config_values: await load(link.target_config),
    };
  }

  async #syncAll(): Promise<void> {
    for (const p of this.#running.values())
      await this.#sync(p).catch((err: unknown) =>
        this.#d.logger.warn({ provider_id: p.id, err: (err as Error).message }, 'provider link sync failed'),
      );
  }

  async #sync(p: RunningProvider): Promise<void> {
    const want = new Map<string, [Link, 'source' | 'target']>();
    for (const l of this.#d.links.all()) {
      if (l.source_id === p.id) want.set(linkKey(l, 'source'), [l, 'source']);
      if (l.target === p.id) want.set(linkKey(l, 'target'), [l, 'target']);
    }
    for (const [k, l] of p.applied) {
      if (want.has(k)) continue;
      p.applied.delete(k);
      await this.#safely(p, () => p.provider.onLinkDeleted?.(l, k.startsWith('source') ? 'source' : 'target'));
    }
    for (const [k, [l, role]] of want) {
      if (p.applied.has(k)) continue;
      p.applied.set(k, l);
      // one link whose config cannot be read (a corrupt CONFIGDATA entry) does not hold up the others
      await this.#safely(p, async () => {
        const r = await this.#resolve(l);
        return role === 'source' ? p.provider.onLinkAsSource?.(r) : p.provider.onLinkAsTarget?.(r);
      });
    }
  }

  async #safely(p: RunningProvider, fn: () => unknown): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.#d.logger.warn({ provider_id: p.id, err: (err as Error).message }, 'provider link handling failed');
    }
  }

  /** Calls from components on other hosts: `wasmbus.rpc.{lattice}.{provider}.{iface}.{func}` in queue group. */
  #serveRpc(id: string, provider: Provider): Subscription {
    const prefix = rpcSubject.invoke(this.#d.lattice, id, '');
    return this.#d.nc.subscribe(rpcSubject.target(this.#d.lattice, id), {
      queue: rpcSubject.queue(this.#d.lattice, id),
      callback: (_e, msg) => {
        void (async () => {
          const op = msg.subject.slice(prefix.length);
          const dot = op.lastIndexOf('.');
          const sourceId = msg.headers?.get(RpcHeader.SourceId) ?? '';
          const linkName = msg.headers?.get(RpcHeader.LinkName) || 'default';
          try {
            const iface = op.slice(0, dot);
            const link = this.#d.links.lookup(sourceId, linkName, iface);
            if (!link || link.target !== id)
              throw new HostError(
                HostErrorCode.LinkNotFound,
                `no link from ${sourceId} to ${id} for ${iface} (${linkName})`,
              );
            const args = (decodeRpc(msg.data) ?? []) as unknown[];
            const out = await provider.handleImport?.(
              sourceId,
              await this.#resolve(link),
              iface,
              op.slice(dot + 1),
              args,
            );
            msg.respond(encodeRpc(out));
          } catch (err) {
            const e = err as Error & { code?: string };
            if (err instanceof WitError)
              msg.respond(new Uint8Array(), { headers: errorHeaders('WIT_ERROR', JSON.stringify(err.value)) });
            else msg.respond(new Uint8Array(), { headers: errorHeaders(e.code ?? 'PROVIDER_ERROR', e.message) });
          }
        })().catch((err: unknown) =>
          this.#d.logger.warn({ provider_id: id, err: (err as Error).message }, 'provider call reply failed'),
        );
      },
    });
  }
}
