/**
 * @module host
 * The weft host daemon: joins a lattice, serves the control interface, publishes events and heartbeats.
 * It sees only the ports of `lattice/`; `host/cli/` (the composition root) wires concrete NATS stores.
 *
 * ```ts
 * import { Host } from './host/index.ts';
 * import { connectNats, NatsEventPublisher, NatsConfigStore, NatsClaimsStore, openLatticeBuckets } from './lattice/index.ts';
 * const nc = await connectNats({ url, persistent: true });
 * const b = await openLatticeBuckets(nc, 'default');
 * const host = await Host.start({ lattice: 'default', labels: { zone: 'a' } }, {
 *   nc, events: new NatsEventPublisher(nc, 'default'),
 *   config: new NatsConfigStore(b.configData), claims: new NatsClaimsStore(b.latticeData),
 * });
 * await host.stop();
 * ```
 */
export { Host } from './host.ts';
export { compileHostOptions, WEFT_VERSION } from './host-options.ts';
export { HostError, HostErrorCode } from './errors.ts';
export { createLogger } from './logger.ts';
export { generateFriendlyName } from './friendly-name.ts';
export { humanUptime } from './uptime.ts';
export { HostMetrics } from './admin/metrics.ts';
export { startAdminServer } from './admin/admin-server.ts';
export { ComponentManager, STATEFUL_ANNOTATION } from './workloads/component-manager.ts';
export { fetchArtifact } from './workloads/artifact-loader.ts';

export type { HostDeps, StopOptions } from './host.ts';
export type { HostOptions, CompiledHostOptions } from './host-options.ts';
export type { Logger } from './logger.ts';
export type { AdminTarget } from './admin/admin-server.ts';
export type { RuntimePort, LoadedArtifact, ComponentVerifier, VerifiedComponent } from './workloads/runtime-port.ts';
