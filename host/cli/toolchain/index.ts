/** The actor toolchain of `weft build`, `weft new actor` and the test fixtures: bundling, engines, build cache. */
export { ACTOR_CACHE_DIR, actorSourceKey, buildActor, prepareBuild, readActorConfig } from './build-actor.ts';
export type { ActorConfig, BuiltActor, PreparedBuild } from './build-actor.ts';
export { DEFAULT_ENGINE, ENGINE_LABEL, ENGINES, parseEngine } from './engines.ts';
export type { Engine } from './engines.ts';
