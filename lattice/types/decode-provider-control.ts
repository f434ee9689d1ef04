import { LatticeError, LatticeErrorCode } from '../errors.ts';
import type { ResolvedLink } from '../provider-port.ts';
import { decodeLinkValue } from './decode-link-spec.ts';
import { asObject, id, parseJson, str, strMap } from './limits.ts';

/**
 * Decoders of the provider ⇄ host control messages (`wasmbus.rpc.{lattice}.{provider}.linkdefs.put|del`,
 * `default.shutdown`, `health` replies). Anyone on the lattice can publish there, so each is checked like a ctl
 * payload; each throws LAT_BAD_PAYLOAD naming the field.
 */

/** A `linkdefs.put` body: a link (rules of `link.put`) with its configs' values. */
export function decodeLinkDefinition(data: Uint8Array | string): ResolvedLink {
  const w = 'link definition';
  const o = asObject(parseJson(data, w), w);
  return {
    ...decodeLinkValue(o, w),
    source_config_values: strMap(o, 'source_config_values', w),
    target_config_values: strMap(o, 'target_config_values', w),
  };
}

/**
 * A `default.shutdown` body: `{host_id}`, the host whose instance should stop (the host always names itself). A body
 * without one (`{}`, empty) is malformed, so junk on the subject cannot stop every instance of a provider at once.
 */
export function decodeShutdownRequest(data: Uint8Array | string): { host_id: string } {
  const w = 'shutdown request';
  return { host_id: id(asObject(parseJson(data, w), w), 'host_id', w) };
}

/** A reply to `health`: `{healthy: boolean, message?: string}`. */
export function decodeHealthReply(data: Uint8Array | string): { healthy: boolean; message?: string } {
  const w = 'health reply';
  const o = asObject(parseJson(data, w), w);
  if (typeof o['healthy'] !== 'boolean')
    throw new LatticeError(LatticeErrorCode.BadPayload, `${w}: "healthy" must be a boolean`);
  const message = str(o, 'message', w, '');
  return message ? { healthy: o['healthy'], message } : { healthy: o['healthy'] };
}
