/**
 * @module capabilities/messaging-nats
 * `weft+builtin://messaging-nats`: `wasmcloud:messaging` consumer and handler @0.2.0 over the lattice's NATS.
 *
 * ```sh
 * weft start provider weft+builtin://messaging-nats nats
 * weft config put sub-cfg SUBSCRIPTIONS='echo.>|echoers'
 * weft link put nats echo wasmcloud messaging --interface handler --source-config sub-cfg
 * weft link put echo nats wasmcloud messaging --interface consumer
 * weft pub echo.hi 'hello' --reply-timeout 2000
 * ```
 */
export { NatsMessagingProvider, parseSubscriptions } from './provider.ts';
