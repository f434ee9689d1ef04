import type { NatsConnection } from '@nats-io/transport-node';
import { buildCloudEvent } from '../events/cloud-event.ts';
import type { EventPublisher } from '../events/event-publisher.ts';
import { evtSubject } from '../subjects.ts';

/** Publishes CloudEvents on `wasmbus.evt.{lattice}.{type}` over core NATS. */
export class NatsEventPublisher implements EventPublisher {
  readonly #nc: NatsConnection;
  readonly #lattice: string;
  constructor(nc: NatsConnection, lattice: string) {
    this.#nc = nc;
    this.#lattice = lattice;
  }
  publish(type: string, source: string, data: Record<string, unknown>): void {
    const evt = buildCloudEvent(type, source, data);
    try {
      this.#nc.publish(evtSubject.event(this.#lattice, type), JSON.stringify(evt));
    } catch {
      // Like wasmCloud: an event that cannot be sent (oversize, closed connection) is dropped, never fatal.
    }
  }
}
