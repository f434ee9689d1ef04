import { LatticeError, LatticeErrorCode } from './errors.ts';
import { checkId } from './ids.ts';
import type { ComponentAuctionRequest, ScaleComponentCommand, UpdateComponentCommand } from './types/component.ts';
import type { HostLabel } from './types/host.ts';
import type { DeleteLinkRequest, Link } from './types/link.ts';
import type { ProviderAuctionRequest, StartProviderCommand, StopProviderCommand } from './types/provider.ts';

/** Validation of wire payloads at the boundary: every failure is a LAT_BAD_PAYLOAD naming the field. */
type Obj = Record<string, unknown>;
const bad = (msg: string): LatticeError => new LatticeError(LatticeErrorCode.BadPayload, msg);

/**
 * Parses a JSON object payload.
 * @throws {LatticeError} LAT_BAD_PAYLOAD when not JSON or not an object.
 */
export function decodeJsonObject(data: Uint8Array | string, what: string): Obj {
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new LatticeError(LatticeErrorCode.BadPayload, `malformed JSON in ${what}: ${(err as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`${what} must be a JSON object`);
  return v as Obj;
}

export function reqString(o: Obj, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0) throw bad(`${what}: "${key}" must be a non-empty string`);
  return v;
}

/** A required id or name (component, provider, link source/target/name, config): see `lattice/ids.ts`. */
export function reqId(o: Obj, key: string, what: string): string {
  return checkId(reqString(o, key, what), `${what}: "${key}"`);
}

/** An optional list of config names, each a valid id. */
function optIdList(o: Obj, key: string, what: string): string[] {
  const v = optStringList(o, key, what) ?? [];
  v.forEach((x, i) => checkId(x, `${what}: "${key}[${i}]"`));
  return v;
}

/**
 * Most instances a scale command may ask for; more (wash sends 4294967295 for "unbounded") is capped to it, so the
 * per-component limit stays a limit. The host-wide guest budget applies on top.
 */
export const MAX_INSTANCES_CEILING = 1000;

export function optString(o: Obj, key: string, what: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(`${what}: "${key}" must be a string`);
  return v;
}

export function optNumber(o: Obj, key: string, what: string, min = 0): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw bad(`${what}: "${key}" must be a number ≥ ${min}`);
  return v;
}

export function optStringMap(o: Obj, key: string, what: string): Record<string, string> | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  return asStringMap(v, `${what}: "${key}"`);
}

export function optStringList(o: Obj, key: string, what: string): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw bad(`${what}: "${key}" must be a list of strings`);
  return v as string[];
}

/** Checks that `v` is a `map<string,string>`. */
export function asStringMap(v: unknown, what: string): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`${what} must be a map of strings`);
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') throw bad(`${what}: value of "${k}" must be a string`);
  }
  return v as Record<string, string>;
}

export function decodeHostLabel(data: Uint8Array, withValue: boolean): HostLabel {
  const o = decodeJsonObject(data, 'label request');
  return { key: reqString(o, 'key', 'label'), value: withValue ? (optString(o, 'value', 'label') ?? '') : '' };
}

export function decodeScaleComponent(data: Uint8Array): ScaleComponentCommand {
  const w = 'scale command';
  const o = decodeJsonObject(data, w);
  const count = optNumber(o, 'count', w) ?? optNumber(o, 'max_instances', w);
  if (count === undefined || !Number.isInteger(count)) throw bad(`${w}: "count" must be an integer ≥ 0`);
  return {
    component_ref: reqString(o, 'component_ref', w),
    component_id: reqId(o, 'component_id', w),
    host_id: optString(o, 'host_id', w) ?? '',
    count: Math.min(count, MAX_INSTANCES_CEILING),
    annotations: optStringMap(o, 'annotations', w),
    component_limits: optStringMap(o, 'component_limits', w),
    config: optIdList(o, 'config', w),
    allow_update: o['allow_update'] === true,
  };
}

export function decodeUpdateComponent(data: Uint8Array): UpdateComponentCommand {
  const w = 'update command';
  const o = decodeJsonObject(data, w);
  return {
    component_id: reqId(o, 'component_id', w),
    new_component_ref: reqString(o, 'new_component_ref', w),
    host_id: optString(o, 'host_id', w) ?? '',
    annotations: optStringMap(o, 'annotations', w),
  };
}

export function decodeComponentAuction(data: Uint8Array): ComponentAuctionRequest {
  const w = 'component auction';
  const o = decodeJsonObject(data, w);
  return {
    component_ref: reqString(o, 'component_ref', w),
    component_id: reqId(o, 'component_id', w),
    constraints: optStringMap(o, 'constraints', w) ?? {},
  };
}

/** Validates a `link.put` body (wasmCloud `Link`), filling defaults (`name` = "default"). */
export function decodeLink(data: Uint8Array): Link {
  const w = 'link';
  const o = decodeJsonObject(data, w);
  const interfaces = optStringList(o, 'interfaces', w) ?? [];
  if (interfaces.length === 0) throw bad(`${w}: "interfaces" must list at least one interface`);
  return {
    source_id: reqId(o, 'source_id', w),
    target: reqId(o, 'target', w),
    name: checkId(optString(o, 'name', w) || 'default', `${w}: "name"`),
    wit_namespace: reqString(o, 'wit_namespace', w),
    wit_package: reqString(o, 'wit_package', w),
    interfaces,
    source_config: optIdList(o, 'source_config', w),
    target_config: optIdList(o, 'target_config', w),
  };
}

/** Validates a `link.del` body. */
export function decodeDeleteLink(data: Uint8Array): DeleteLinkRequest {
  const w = 'link delete';
  const o = decodeJsonObject(data, w);
  return {
    source_id: reqId(o, 'source_id', w),
    name: checkId(optString(o, 'name', w) || 'default', `${w}: "name"`),
    wit_namespace: reqString(o, 'wit_namespace', w),
    wit_package: reqString(o, 'wit_package', w),
  };
}

/** Validates a `provider.start` body. */
export function decodeStartProvider(data: Uint8Array): StartProviderCommand {
  const w = 'start provider command';
  const o = decodeJsonObject(data, w);
  return {
    provider_id: reqId(o, 'provider_id', w),
    provider_ref: reqString(o, 'provider_ref', w),
    host_id: optString(o, 'host_id', w) ?? '',
    config: optIdList(o, 'config', w),
    annotations: optStringMap(o, 'annotations', w),
  };
}

/** Validates a `provider.stop` body (`provider_ref` accepted as an alias, as in wasmCloud). */
export function decodeStopProvider(data: Uint8Array): StopProviderCommand {
  const w = 'stop provider command';
  const o = decodeJsonObject(data, w);
  const id = optString(o, 'provider_id', w) ?? optString(o, 'provider_ref', w);
  if (!id) throw new LatticeError(LatticeErrorCode.BadPayload, `${w}: "provider_id" must be a non-empty string`);
  return { host_id: optString(o, 'host_id', w) ?? '', provider_id: checkId(id, `${w}: "provider_id"`) };
}

/** Validates a `provider.auction` body. */
export function decodeProviderAuction(data: Uint8Array): ProviderAuctionRequest {
  const w = 'provider auction';
  const o = decodeJsonObject(data, w);
  return {
    provider_ref: reqString(o, 'provider_ref', w),
    provider_id: reqId(o, 'provider_id', w),
    constraints: optStringMap(o, 'constraints', w) ?? {},
  };
}
