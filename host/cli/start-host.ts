import { flushCompileCache } from 'node:module';
import {
  connectNats,
  NatsClaimsStore,
  NatsConfigStore,
  NatsEventPublisher,
  NatsLinkStore,
  NatsArtifactStore,
  NatsPolicyClient,
  openLatticeBuckets,
} from '../../lattice/index.ts';
import type { NatsConnectOptions, ProviderFactory } from '../../lattice/index.ts';
import { HttpServerProvider } from '../../capabilities/http-server/index.ts';
import { HttpClientProvider } from '../../capabilities/http-client/index.ts';
import { NatsKvProvider } from '../../capabilities/keyvalue-nats/index.ts';
import { RedisKvProvider } from '../../capabilities/keyvalue-redis/index.ts';
import { NatsMessagingProvider } from '../../capabilities/messaging-nats/index.ts';
import { compileHostOptions, createLogger, Host, startAdminServer } from '../index.ts';
import { ComponentRuntime } from '../runtime/index.ts';
import type { ComponentRuntimeOptions } from '../runtime/index.ts';
import type { HostOptions, Logger } from '../index.ts';

/** The providers `weft+builtin://{name}` starts inside the host. */
export const BUILTIN_PROVIDERS: Record<string, ProviderFactory> = {
  'http-server': () => new HttpServerProvider(),
  'http-client': () => new HttpClientProvider(),
  'keyvalue-nats': () => new NatsKvProvider(),
  'keyvalue-redis': () => new RedisKvProvider(),
  'messaging-nats': () => new NatsMessagingProvider(),
};

/** Everything needed to start a host against NATS. */
export interface StartHostOptions extends HostOptions {
  nats: NatsConnectOptions;
  /** Separate connection for invocations (`--rpc-*`); the ctl connection is used when absent. */
  rpcNats?: NatsConnectOptions;
  logLevel?: string;
  /** Serve /livez, /readyz and /metrics on this HOST:PORT. */
  httpAdmin?: string;
  /** OTLP/HTTP endpoint for invocation spans. @default env OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT */
  otlpEndpoint?: string;
  /** Policy service (wasmCloud protocol): topic, changes topic, timeout. */
  policy?: { topic: string; changesTopic?: string; timeoutMs?: number };
  /** Replicas of the lattice KV buckets when this host creates them (3 on a 3-node cluster). @default 1 */
  jsReplicas?: number;
  /** How long an HTTP handler may run when its link sets no `timeout_ms` (504, the call stopped). @default 30000 */
  httpTimeoutMs?: number;
  /** Provider health checks (ms). @default 30000 */
  providerHealthIntervalMs?: number;
  /** A logger to use instead of pino on stderr (tests capture guest output with it). */
  logger?: Logger;
  /** Component runtime limits and cache; no runtime when `false`. */
  runtime?: ComponentRuntimeOptions | false;
  /**
   * Seeds of the restricted NATS users for providers (`weft up` makes them for the nats-server it runs): external
   * provider processes connect as `provider`, messaging-nats by default as `messaging`. Absent: the host's credentials.
   */
  providerUsers?: { provider: string; messaging: string };
  /** More `weft+builtin://{name}` providers beside {@link BUILTIN_PROVIDERS} (tests register probes with it). */
  extraBuiltinProviders?: Record<string, ProviderFactory>;
}

/**
 * The composition root: connects to NATS, opens the lattice buckets, wires the NATS stores into a {@link Host}.
 * @throws {LatticeError} LAT_CONNECT / LAT_STORE when NATS is unreachable or lacks JetStream.
 */
export async function startHost(opts: StartHostOptions): Promise<Host> {
  const lattice = opts.lattice ?? 'default';
  const logger = opts.logger ?? createLogger(opts.logLevel ?? 'info');
  const nc = await connectNats({ ...opts.nats, persistent: true, name: opts.nats.name ?? 'weft-host' });
  let rpcNc;
  let runtime: ComponentRuntime | undefined;
  try {
    rpcNc = opts.rpcNats ? await connectNats({ ...opts.rpcNats, persistent: true, name: 'weft-host-rpc' }) : undefined;
    const buckets = await openLatticeBuckets(nc, lattice, { jsDomain: opts.jsDomain, replicas: opts.jsReplicas });
    const ref: { host?: Host } = {};
    runtime =
      opts.runtime === false
        ? undefined
        : new ComponentRuntime({
            nats: { ...(opts.rpcNats ?? opts.nats) }, // the guest workers serve lattice calls on connections of their own
            ...opts.runtime,
            onLog: (cid, stream, line, ctx) =>
              cid === '(worker)'
                ? logger.debug({ stream }, line)
                : logger.info({ component_id: cid, stream, ...(ctx?.traceId ? { trace_id: ctx.traceId } : {}) }, line),
            onImport: (cid, iface, func, args, ctx) => {
              if (!ref.host) return Promise.reject(new Error('host is starting'));
              return ref.host.routeImport(cid, iface, func, args, ctx);
            },
            onWorkerLost: (reason) => logger.warn({ reason }, 'guest worker replaced'),
          });
    const compiled = compileHostOptions(opts);
    const policy = opts.policy
      ? new NatsPolicyClient(nc, {
          topic: opts.policy.topic,
          changesTopic: opts.policy.changesTopic,
          timeoutMs: opts.policy.timeoutMs,
          host: { publicKey: compiled.hostId, lattice, labels: compiled.labels },
        })
      : undefined;
    const host = await Host.start(
      { ...opts, hostSeed: compiled.hostSeed },
      {
        policy,
        builtinProviders: {
          ...BUILTIN_PROVIDERS,
          'http-server': () => new HttpServerProvider({ handlerTimeoutMs: opts.httpTimeoutMs }),
          ...opts.extraBuiltinProviders,
        },
        externalNats: { ...externalNatsOf(opts.rpcNats ?? opts.nats), users: opts.providerUsers },
        providerHealthIntervalMs: opts.providerHealthIntervalMs,
        otlpEndpoint:
          opts.otlpEndpoint ??
          process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] ??
          process.env['OTEL_EXPORTER_OTLP_ENDPOINT'],
        runtime,
        artifacts: new NatsArtifactStore(rpcNc ?? nc, opts.jsDomain),
        nc,
        rpcNc,
        logger,
        events: new NatsEventPublisher(nc, lattice),
        config: new NatsConfigStore(buckets.configData),
        claims: new NatsClaimsStore(buckets.latticeData),
        links: new NatsLinkStore(buckets.latticeData),
      },
    );
    ref.host = host;
    if (!opts.providerUsers)
      host.logger.info(
        {},
        "providers share this host's NATS identity (restricted provider users exist only on the nats-server weft up starts with nkey auth)",
      );
    void host.stopped.then(() => policy?.close()).catch(() => undefined);
    watchConnection(host);
    if (opts.httpAdmin) {
      const admin = await startAdminServer(opts.httpAdmin, host);
      host.logger.info({ url: admin.url }, 'admin endpoint (/livez /readyz /metrics) listening');
      void host.stopped.then(() => admin.close()).catch(() => undefined);
    }
    // what a host loads to start is loaded: write its compile cache entries now (bin.js turns the cache on), not only
    // at exit, so that the next start of a host killed without stopping (SIGKILL, OOM) loads them unstripped too
    flushCompileCache?.();
    return host;
  } catch (err) {
    await nc.close();
    await rpcNc?.close();
    await runtime?.close();
    throw err;
  }
}

function watchConnection(host: Host): void {
  void (async () => {
    for await (const s of host.nc.status()) {
      if (s.type === 'disconnect') host.metrics.natsDisconnects.inc();
      if (s.type === 'reconnect') host.metrics.natsReconnects.inc();
      if (s.type === 'disconnect' || s.type === 'reconnect') host.logger.warn({ status: s.type }, `NATS ${s.type}`);
    }
  })().catch(() => undefined);
}

/** NATS settings handed to external provider processes (URL and nkey/JWT; a creds file is not forwarded). */
function externalNatsOf(o: NatsConnectOptions): { url: string; seed?: string; jwt?: string } {
  const url = Array.isArray(o.url) ? o.url.join(',') : (o.url ?? 'nats://127.0.0.1:4222');
  return { url, seed: o.seed, jwt: o.jwt };
}
