/**
 * Curve (xkey) key pairs and sealed boxes, as wasmCloud's `nkeys::XKey`: public keys start with `X`, seeds with
 * `SX`; `seal` writes `xkv1` + nonce + box (the same bytes Rust's nkeys reads).
 */
import { createCurve, fromCurveSeed, fromPublic } from '@nats-io/nkeys';
import type { KeyPair } from '@nats-io/nkeys';
import { LatticeError, LatticeErrorCode } from '../errors.ts';

export type { KeyPair as XKeyPair } from '@nats-io/nkeys';

/** A fresh curve key pair (one per request on the host side). */
export function newXkey(): KeyPair {
  return createCurve();
}

/** A curve key pair from its seed text (`SX…`). @throws {LatticeError} LAT_BAD_REQUEST, without the seed. */
export function xkeyFromSeed(seed: string): KeyPair {
  try {
    return fromCurveSeed(new TextEncoder().encode(seed.trim()));
  } catch {
    throw new LatticeError(
      LatticeErrorCode.BadRequest,
      'not a curve (xkey) seed: expected 58 characters starting with SX',
    );
  }
}

/** The seed text of a curve key pair. */
export function xkeySeed(kp: KeyPair): string {
  return new TextDecoder().decode(kp.getSeed());
}

/** True for a well-formed public xkey (`X…`, checksum valid). */
export function isXkeyPublic(key: string): boolean {
  if (!/^X[A-Z2-7]{55}$/.test(key)) return false;
  try {
    fromPublic(key);
    return true;
  } catch {
    return false;
  }
}

/** Seals `data` from `kp` to `recipient` (a public xkey). */
export function sealTo(kp: KeyPair, data: Uint8Array | string, recipient: string): Uint8Array {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  if (!isXkeyPublic(recipient))
    throw new LatticeError(LatticeErrorCode.BadPayload, 'the recipient is not a public xkey');
  return kp.seal(bytes, recipient);
}

/** Opens a box `sender` sealed to `kp`. @throws {LatticeError} LAT_BAD_PAYLOAD when it does not open. */
export function openFrom(kp: KeyPair, data: Uint8Array, sender: string): Uint8Array {
  if (!isXkeyPublic(sender)) throw new LatticeError(LatticeErrorCode.BadPayload, 'the sender is not a public xkey');
  let out: Uint8Array | null = null;
  try {
    out = kp.open(data, sender);
  } catch {
    out = null;
  }
  if (!out) throw new LatticeError(LatticeErrorCode.BadPayload, 'sealed payload does not open with this xkey');
  return out;
}
