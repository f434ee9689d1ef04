import { LatticeError, LatticeErrorCode } from '../errors.ts';
import type { ResolvedLink } from '../provider-port.ts';
import { decodeLinkValue } from './decode-link-spec.ts';
import { asObject, parseJson, str, strMap } from './limits.ts';

/**
 * Decoders of the provider ⇄ host control messages (`wasmbus.rpc.{lattice}.{provider}.linkdefs.put|del`,
 * `default.shutdown`, `health` replies). Anyone on the lattice can publish there, so each is checked like a ctl
 * payload; each throws LAT_BAD_PAYLOAD naming the field.
 */

/** A `linkdefs.put` body: a link (rules of `link.put`) with its configs' values. */
export function decodeLinkDefinition(data: Uint8Array | string): ResolvedLink {
  const w = 'link definition';
  const o = asObject(parseJson(data, w), w);
  return { ...decodeLinkValue(o, w), source_config_values: strMap(o, 'source_config_values', w), target_config_values: strMap(o, 'target_config_values', w) };
}

/** A `default.shutdown` body: `{host_id?}`; an empty body is `{}`. */
export function decodeShutdownRequest(data: Uint8Array | string): { host_id?: string } {
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  if (!text) return {};
  const o = asObject(parseJson(text, 'shutdown request'), 'shutdown request');
  const hostId = str(o, 'host_id', 'shutdown request', '');
  return hostId ? { host_id: hostId } : {};
}

/** A reply to `health`: `{healthy: boolean, message?: string}`. */
export function decodeHealthReply(data: Uint8Array | string): { healthy: boolean; message?: string } {
  const w = 'health reply';
  const o = asObject(parseJson(data, w), w);
  if (typeof o['healthy'] !== 'boolean') throw new LatticeError(LatticeErrorCode.BadPayload, `${w}: "healthy" must be a boolean`);
  const message = str(o, 'message', w, '');
  return message ? { healthy: o['healthy'], message } : { healthy: o['healthy'] };
}
