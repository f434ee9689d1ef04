import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { asObject, parseJson, str } from '../types/limits.ts';
import type { PolicyResponse } from './types.ts';

/**
 * Validates a policy reply or change notification: an object with a string `requestId` (equal to `requestId` when
 * given: a reply must answer the request it was sent for), a boolean `permitted` and an optional string `message`.
 * @throws {LatticeError} LAT_BAD_PAYLOAD naming the field.
 */
export function decodePolicyResponse(data: Uint8Array | string, requestId?: string): PolicyResponse {
  const w = 'policy reply';
  const o = asObject(parseJson(data, w), w);
  const res: PolicyResponse = {
    requestId: str(o, 'requestId', w),
    permitted: o['permitted'] as boolean,
    message: str(o, 'message', w, '').slice(0, 1000),
  };
  if (typeof o['permitted'] !== 'boolean')
    throw new LatticeError(LatticeErrorCode.BadPayload, `${w}: "permitted" must be a boolean`);
  if (requestId !== undefined && res.requestId !== requestId)
    throw new LatticeError(LatticeErrorCode.BadPayload, `${w}: "requestId" is not the id of the request`);
  return res;
}
