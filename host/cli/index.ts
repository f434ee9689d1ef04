/**
 * @module host/cli
 * The composition root: wires NATS adapters into a {@link Host}. The `weft` command itself is `main.ts` (and
 * `bin.js`), which does not import this file: it loads everything below. Also exported for tests and tools: the actor
 * build (`buildActor`, `readActorConfig`, `actorSourceKey`) and the `weft ui` dashboard server (`startUiServer`).
 *
 * ```ts
 * import { startHost } from './host/cli/index.ts';
 * const host = await startHost({ lattice: 'default', nats: { url: 'nats://127.0.0.1:4222' } });
 * await host.stop();
 * ```
 */
export { startHost } from './start-host.ts';
export type { StartHostOptions } from './start-host.ts';
export { buildActor, readActorConfig, actorSourceKey, DEFAULT_ENGINE, ENGINES } from './toolchain/index.ts';
export type { ActorConfig, Engine } from './toolchain/index.ts';
export { startUiServer } from './ui/ui-server.ts';
export type { UiServer } from './ui/ui-server.ts';
