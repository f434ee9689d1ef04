import { Packr } from 'msgpackr';
import { LatticeError, LatticeErrorCode } from '../errors.ts';

/** msgpackr payloads of lattice calls: plain maps (no records), 64-bit ints as BigInt, `undefined` as nil. */
const packr = new Packr({ useRecords: false, mapsAsObjects: true, int64AsType: 'bigint', encodeUndefinedAsNil: true });

/** Encodes a value for a lattice call. */
export function encodeRpc(value: unknown): Uint8Array {
  return packr.pack(value);
}

/**
 * Decodes a lattice call payload.
 * @throws {LatticeError} LAT_BAD_PAYLOAD when the bytes are not msgpack.
 */
export function decodeRpc(data: Uint8Array): unknown {
  if (data.length === 0) return undefined;
  try {
    return packr.unpack(data);
  } catch (err) {
    throw new LatticeError(
      LatticeErrorCode.BadPayload,
      `invocation payload is not valid msgpack: ${(err as Error).message}`,
    );
  }
}
