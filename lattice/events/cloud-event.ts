import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '../types/event.ts';

/** Builds a CloudEvents 1.0 envelope with type `com.wasmcloud.lattice.{type}`, as wasmCloud does. */
export function buildCloudEvent<T>(type: string, source: string, data: T): CloudEvent<T> {
  return {
    specversion: '1.0',
    type: `com.wasmcloud.lattice.${type}`,
    source,
    id: randomUUID(),
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
  };
}
