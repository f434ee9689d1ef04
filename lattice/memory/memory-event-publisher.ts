import { buildCloudEvent } from '../events/cloud-event.ts';
import type { EventPublisher } from '../events/event-publisher.ts';
import type { CloudEvent } from '../types/event.ts';

/** In-memory twin of {@link EventPublisher}: keeps every event for assertions. */
export class MemoryEventPublisher implements EventPublisher {
  readonly events: CloudEvent[] = [];
  publish(type: string, source: string, data: Record<string, unknown>): void {
    this.events.push(buildCloudEvent(type, source, data));
  }
}
