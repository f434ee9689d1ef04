import { LatticeError, LatticeErrorCode } from '../errors.ts';
import type { CloudEvent } from './event.ts';
import type { ComponentDescription, HostInfo, HostInventory, ProviderDescription } from './host.ts';
import { asObject, id, list, num, optStrMap, str, strMap } from './limits.ts';

/**
 * Decoders of host shapes that arrive from other processes (heartbeats, `host.get` and `host.ping` replies): every
 * field's type is checked and strings, lists and maps are bounded ({@link InputLimits}).
 * Each throws LAT_BAD_PAYLOAD naming the field.
 */

function component(v: unknown, w: string): ComponentDescription {
  const o = asObject(v, w);
  const out: ComponentDescription = {
    id: id(o, 'id', w),
    image_ref: str(o, 'image_ref', w, ''),
    revision: num(o, 'revision', w, 0),
    max_instances: num(o, 'max_instances', w, 0),
  };
  if (o['name'] !== undefined && o['name'] !== null) out.name = str(o, 'name', w);
  const annotations = optStrMap(o, 'annotations', w);
  if (annotations) out.annotations = annotations;
  const limits = optStrMap(o, 'limits', w);
  if (limits) out.limits = limits;
  for (const k of ['digest', 'image_digest', 'issuer'] as const)
    if (o[k] !== undefined && o[k] !== null) out[k] = str(o, k, w);
  for (const k of ['config', 'caps'] as const)
    if (o[k] !== undefined && o[k] !== null) out[k] = list(o, k, w, (x, at) => str({ v: x }, 'v', at));
  return out;
}

function provider(v: unknown, w: string): ProviderDescription {
  const o = asObject(v, w);
  const out: ProviderDescription = { id: id(o, 'id', w), revision: num(o, 'revision', w, 0) };
  if (o['image_ref'] !== undefined && o['image_ref'] !== null) out.image_ref = str(o, 'image_ref', w);
  if (o['name'] !== undefined && o['name'] !== null) out.name = str(o, 'name', w);
  const annotations = optStrMap(o, 'annotations', w);
  if (annotations) out.annotations = annotations;
  return out;
}

/** A host inventory (the data of `host_heartbeat`, the reply of `host.get`). */
export function decodeHostInventory(v: unknown, what = 'host inventory'): HostInventory {
  const o = asObject(v, what);
  return {
    host_id: id(o, 'host_id', what),
    friendly_name: str(o, 'friendly_name', what, ''),
    labels: strMap(o, 'labels', what),
    version: str(o, 'version', what, ''),
    uptime_human: str(o, 'uptime_human', what, ''),
    uptime_seconds: num(o, 'uptime_seconds', what, 0),
    components: list(o, 'components', what, component),
    providers: list(o, 'providers', what, provider),
  };
}

/**
 * The inventory a `host_heartbeat` event carries, taken only from the host it describes (a heartbeat whose
 * `host_id` is not its event's `source` is forged or confused).
 */
export function decodeHeartbeat(e: CloudEvent): HostInventory {
  const inv = decodeHostInventory(e.data, 'host_heartbeat data');
  if (inv.host_id !== e.source) {
    throw new LatticeError(
      LatticeErrorCode.BadPayload,
      `heartbeat from ${e.source.slice(0, 80)} describes host ${inv.host_id.slice(0, 80)}`,
    );
  }
  return inv;
}

/** A `host.ping` reply. */
export function decodeHostInfo(v: unknown, what = 'host info'): HostInfo {
  const o = asObject(v, what);
  const out: HostInfo = {
    id: id(o, 'id', what),
    friendly_name: str(o, 'friendly_name', what, ''),
    labels: strMap(o, 'labels', what),
    lattice: str(o, 'lattice', what, ''),
    version: str(o, 'version', what, ''),
    uptime_seconds: num(o, 'uptime_seconds', what, 0),
    uptime_human: str(o, 'uptime_human', what, ''),
  };
  for (const k of ['rpc_host', 'ctl_host', 'js_domain'] as const)
    if (o[k] !== undefined && o[k] !== null) out[k] = str(o, k, what);
  return out;
}
