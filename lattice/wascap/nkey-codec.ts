/**
 * nkeys of the two roles `@nats-io/nkeys` does not know: M (module/component) and V (service/provider), encoded
 * exactly as nkeys does (base32 of prefix + Ed25519 key + CRC16-XMODEM), as wascap uses them.
 */
import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import type { KeyPair } from '@nats-io/nkeys';

export const PREFIX_MODULE = 12 << 3; // 'M'
export const PREFIX_SERVICE = 21 << 3; // 'V'
const PREFIX_SEED = 18 << 3; // 'S'
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function crc16(data: Uint8Array): number {
  let crc = 0;
  for (const b of data) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function base32(data: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of data) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(s: string): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of s) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error('invalid base32');
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

function withCrc(payload: Uint8Array): string {
  const crc = crc16(payload);
  const full = new Uint8Array(payload.length + 2);
  full.set(payload);
  full[payload.length] = crc & 0xff;
  full[payload.length + 1] = crc >> 8;
  return base32(full);
}

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

/** An M or V key pair, with the same surface as `@nats-io/nkeys`' KeyPair. */
class RoleKeyPair {
  readonly #prefix: number;
  readonly #seed: Uint8Array;
  readonly #priv: ReturnType<typeof createPrivateKey>;
  readonly #pub: Uint8Array;
  constructor(prefix: number, seed: Uint8Array) {
    this.#prefix = prefix;
    this.#seed = seed;
    this.#priv = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
    const spki = createPublicKey(this.#priv).export({ format: 'der', type: 'spki' });
    this.#pub = new Uint8Array(spki.subarray(spki.length - 32));
  }
  getPublicKey(): string {
    return withCrc(new Uint8Array([this.#prefix, ...this.#pub]));
  }
  getSeed(): Uint8Array {
    const b1 = PREFIX_SEED | (this.#prefix >> 5);
    const b2 = (this.#prefix & 31) << 3;
    return new TextEncoder().encode(withCrc(new Uint8Array([b1, b2, ...this.#seed])));
  }
  getPrivateKey(): Uint8Array {
    return new Uint8Array([...this.#seed, ...this.#pub]);
  }
  getRawPublicKey(): Uint8Array {
    return this.#pub;
  }
  sign(data: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, data, this.#priv));
  }
  verify(data: Uint8Array, sig: Uint8Array): boolean {
    return verify(null, data, createPublicKey(this.#priv), sig);
  }
  clear(): void {
    this.#seed.fill(0);
  }
}

/** Creates a new M (component) or V (provider) key. */
export function createRoleKey(prefix: number): KeyPair {
  return new RoleKeyPair(prefix, new Uint8Array(randomBytes(32))) as unknown as KeyPair;
}

/** Parses an `SM…`/`SV…` seed; undefined for other roles. @throws Error on a corrupt seed. */
export function roleKeyFromSeed(seed: string): KeyPair | undefined {
  const raw = unbase32(seed.trim());
  if (raw.length !== 36) return undefined;
  const prefix = ((raw[0]! & 7) << 5) | ((raw[1]! & 0xf8) >> 3);
  if ((raw[0]! & 0xf8) !== PREFIX_SEED || (prefix !== PREFIX_MODULE && prefix !== PREFIX_SERVICE)) return undefined;
  const crc = raw[34]! | (raw[35]! << 8);
  if (crc16(raw.subarray(0, 34)) !== crc) throw new Error('seed checksum mismatch');
  return new RoleKeyPair(prefix, raw.slice(2, 34)) as unknown as KeyPair;
}

/**
 * A seed of any role (`SU…` user, `SA…`, `SM…`…) as a key pair that signs with node:crypto. `@nats-io/nkeys` signs
 * with tweetnacl, whose first signature costs ~50 ms and ~13 MB: most of a CLI command's NATS connect.
 * @throws Error on anything but a valid seed.
 */
export function nodeKeyFromSeed(seed: string): KeyPair {
  const raw = unbase32(seed.trim());
  if (raw.length !== 36 || (raw[0]! & 0xf8) !== PREFIX_SEED) throw new Error('not an nkey seed');
  if (crc16(raw.subarray(0, 34)) !== (raw[34]! | (raw[35]! << 8))) throw new Error('seed checksum mismatch');
  return new RoleKeyPair(((raw[0]! & 7) << 5) | ((raw[1]! & 0xf8) >> 3), raw.slice(2, 34)) as unknown as KeyPair;
}

/**
 * The role letter of a valid nkey public key (`A` account, `M` component, `N` server, …): 56 base32 characters
 * holding a role byte, an Ed25519 key and a matching CRC16. @returns undefined for anything else.
 */
export function publicKeyRole(key: string): string | undefined {
  if (typeof key !== 'string' || key.length !== 56) return undefined;
  let raw: Uint8Array;
  try {
    raw = unbase32(key);
  } catch {
    return undefined;
  }
  if (raw.length !== 35 || crc16(raw.subarray(0, 33)) !== (raw[33]! | (raw[34]! << 8))) return undefined;
  return ALPHABET[(raw[0]! >> 3) & 31];
}
