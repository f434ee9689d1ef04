import type { NatsConnection } from '@nats-io/transport-node';
import type {
  ArtifactStore,
  ClaimsStore,
  ConfigStore,
  EventPublisher,
  LinkStore,
  ProviderFactory,
} from '../lattice/index.ts';
import type { CompiledHostOptions } from './host-options.ts';
import type { Logger } from './logger.ts';
import { ClaimsVerifier } from './workloads/claims-verifier.ts';
import type { PolicyPort } from './workloads/claims-verifier.ts';
import type { ExternalNats } from './workloads/external-provider.ts';
import type { ComponentVerifier, RuntimePort } from './workloads/runtime-port.ts';

/** What a host is wired to; only `host/cli/` picks the concrete implementations. */
export interface HostDeps {
  /** The NATS connection for ctl and events. */
  nc: NatsConnection;
  /** The NATS connection for invocations (wasmCloud's separate rpc connection). @default nc */
  rpcNc?: NatsConnection;
  events: EventPublisher;
  config: ConfigStore;
  claims: ClaimsStore;
  /** Component specs and their links; every host follows it. */
  links?: LinkStore;
  logger?: Logger;
  /** Executes guests; a host without one runs no components. */
  runtime?: RuntimePort;
  /** Decides whether a component may run. @default a {@link ClaimsVerifier} from the host options */
  verifier?: ComponentVerifier;
  /** NATS for external provider processes (their own connection). */
  externalNats?: ExternalNats;
  /** Provider health check interval in ms. @default 30000 */
  providerHealthIntervalMs?: number;
  /** Built-in providers by name (`weft+builtin://{name}`); wired by the composition root. */
  builtinProviders?: Record<string, ProviderFactory>;
  /** The policy service, when `--policy-topic` is set. */
  policy?: PolicyPort;
  /** Where `nats://` artifacts come from. */
  artifacts?: ArtifactStore;
  /** Export Node process metrics (heap, event loop) in /metrics. @default true */
  processMetrics?: boolean;
  /** Log level when no logger is given. @default 'info' */
  logLevel?: string;
  /** OTLP/HTTP endpoint for invocation spans (`--otlp-endpoint`); none: spans only feed trace ids to logs and calls. */
  otlpEndpoint?: string;
}

/** Options of {@link Host.stop}. */
export interface StopOptions {
  reason?: string;
  /** Longest drain in ms. @default 10000 */
  timeoutMs?: number;
}

/** The verifier a host uses when none is given: signed claims, issuers and caps from the options, then the policy. */
export function defaultVerifier(opts: CompiledHostOptions, deps: HostDeps, logger: Logger): ComponentVerifier {
  return new ClaimsVerifier({
    allowUnsigned: opts.allowUnsigned,
    allowedIssuers: opts.allowedIssuers,
    requireCaps: opts.requireCaps,
    policy: deps.policy,
    claims: deps.claims,
    logger,
  });
}

/**
 * Drains both connections of a stopping host, bounded by `timeoutMs`; whatever is still open then is closed, so no
 * reconnect loop keeps the process alive once its nats-server is gone.
 */
export async function drainConnections(deps: HostDeps, timeoutMs: number, logger: Logger): Promise<void> {
  const rpc = deps.rpcNc && deps.rpcNc !== deps.nc ? deps.rpcNc : undefined;
  await Promise.race([
    Promise.all([deps.nc.flush().then(() => deps.nc.drain()), rpc?.drain()]),
    new Promise((r) => setTimeout(r, timeoutMs).unref()),
  ]).catch((err: unknown) => logger.warn({ err }, 'NATS drain failed'));
  for (const c of [deps.nc, rpc]) if (c && !c.isClosed()) await c.close().catch(() => undefined);
}
