/** Port: publishes lattice events. Implemented by `NatsEventPublisher` and `MemoryEventPublisher`. */
export interface EventPublisher {
  /** Publishes `data` as a CloudEvent of `type` from `source` (a host id). Never throws on oversize. */
  publish(type: string, source: string, data: Record<string, unknown>): void;
}
