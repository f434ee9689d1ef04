/**
 * @module capabilities/keyvalue-nats
 * `weft+builtin://keyvalue-nats`: `wasi:keyvalue/{store,atomics,batch}@0.2.0-draft` over JetStream KV.
 *
 * ```sh
 * weft start provider weft+builtin://keyvalue-nats kv
 * weft config put kv-cfg bucket=counters
 * weft link put counter kv wasi keyvalue --interface store --interface atomics --target-config kv-cfg
 * ```
 */
export { NatsKvProvider } from './provider.ts';
