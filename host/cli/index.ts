/**
 * @module host/cli
 * The composition root: wires NATS adapters into a {@link Host}. The `weft` command itself is `main.ts`.
 *
 * ```ts
 * import { startHost } from './host/cli/index.ts';
 * const host = await startHost({ lattice: 'default', nats: { url: 'nats://127.0.0.1:4222' } });
 * await host.stop();
 * ```
 */
export { startHost } from './start-host.ts';
export type { StartHostOptions } from './start-host.ts';
