import type { CloudEvent } from '../types/event.ts';
import { asObject, parseJson, str } from '../types/limits.ts';
import { LatticeError, LatticeErrorCode } from '../errors.ts';

/**
 * Validates a CloudEvent from `wasmbus.evt.{lattice}.>`: an object whose `type`, `source` and `time` are strings
 * (type and source non-empty) and whose `data` is an object; `id` defaults to ''. What the event's data holds is
 * checked by whoever reads it (see `decodeHostInventory` for heartbeats).
 * @throws {LatticeError} LAT_BAD_PAYLOAD naming the field.
 */
export function decodeCloudEvent(payload: Uint8Array | string): CloudEvent {
  const w = 'event';
  const o = asObject(parseJson(payload, w), w);
  const type = str(o, 'type', w);
  const source = str(o, 'source', w);
  if (!type || !source)
    throw new LatticeError(LatticeErrorCode.BadPayload, `${w}: "type" and "source" must be non-empty strings`);
  return {
    specversion: '1.0',
    type,
    source,
    id: str(o, 'id', w, ''),
    time: str(o, 'time', w),
    datacontenttype: 'application/json',
    data: asObject(o['data'], `${w}: "data"`),
  };
}

/** The short type of an event: `com.wasmcloud.lattice.host_heartbeat` → `host_heartbeat`. */
export function eventKind(e: CloudEvent): string {
  return e.type.startsWith('com.wasmcloud.lattice.') ? e.type.slice('com.wasmcloud.lattice.'.length) : e.type;
}
