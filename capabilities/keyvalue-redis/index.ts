/**
 * @module capabilities/keyvalue-redis
 * `weft+builtin://keyvalue-redis`: `wasi:keyvalue/{store,atomics,batch}@0.2.0-draft` over Redis.
 *
 * ```sh
 * weft start provider weft+builtin://keyvalue-redis redis
 * weft config put redis-cfg URL=redis://127.0.0.1:6379
 * weft link put counter redis wasi keyvalue --interface store --interface atomics --target-config redis-cfg
 * ```
 */
export { RedisKvProvider } from './provider.ts';
