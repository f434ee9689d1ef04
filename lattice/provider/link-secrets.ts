import { LatticeError, LatticeErrorCode } from '../errors.ts';
import type { ResolvedLink } from '../provider-port.ts';
import { isXkeyPublic, openFrom, sealTo } from '../secrets/index.ts';
import type { SecretValue, XKeyPair } from '../secrets/index.ts';
import { decodeLinkDefinition } from '../types/decode-provider-control.ts';
import { asObject, parseJson } from '../types/limits.ts';
import { decodeSecretMap, encodeSecretMap, SecretMapLimits } from './secret-values.ts';

/**
 * A link definition as it travels to an external provider process (HostData `link_definitions`, `linkdefs.put`):
 * wasmCloud's InterfaceLinkDefinition, whose `source_secrets`/`target_secrets` are the secrets of each side sealed by
 * the host's xkey to the provider's (`host_xkey_public_key` / `provider_xkey_private_key` of its HostData), as bytes
 * (serde's `Vec<u8>`: a JSON array of numbers). The sealed text is the JSON of a map name → wasmCloud's `SecretValue`
 * (`{"kind":"String","value":s}` or `{"kind":"Bytes","value":[..]}`, see secret-values.ts), as wasmCloud's host seals
 * it (`resolve_link_config`); a side without secrets is left out (an empty map sealed would look like one).
 */
export interface LinkDefinition extends ResolvedLink {
  source_secrets?: number[];
  target_secrets?: number[];
}

/** The bounds of sealed link secrets (a link carries a few credentials, not data). */
export const LinkSecretLimits = {
  sealedBytes: 256 * 1024,
  entries: SecretMapLimits.entries,
  name: SecretMapLimits.name,
} as const;

type Sides = { source_secrets?: Record<string, SecretValue>; target_secrets?: Record<string, SecretValue> };
const SIDES = ['source_secrets', 'target_secrets'] as const;
const bad = (msg: string): LatticeError => new LatticeError(LatticeErrorCode.BadPayload, `link secrets: ${msg}`);

/** Seals each side's secrets from `host` to the provider's public xkey; sides without secrets are left out. */
export function sealLinkSecrets(
  host: XKeyPair,
  providerXkey: string,
  s: Sides,
): Pick<LinkDefinition, (typeof SIDES)[number]> {
  const out: Pick<LinkDefinition, (typeof SIDES)[number]> = {};
  for (const side of SIDES) {
    const map = s[side];
    if (!map || Object.keys(map).length === 0) continue;
    out[side] = [...sealTo(host, JSON.stringify(encodeSecretMap(map)), providerXkey)];
  }
  return out;
}

/** Validates one sealed side: absent/null, or an array of at most `sealedBytes` integers 0..255. */
function sealedField(o: Record<string, unknown>, key: string): number[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw bad(`"${key}" must be an array of bytes`);
  if (v.length > LinkSecretLimits.sealedBytes)
    throw bad(`"${key}" is longer than ${LinkSecretLimits.sealedBytes} bytes`);
  for (const b of v as unknown[])
    if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b > 255) throw bad(`"${key}" must hold bytes 0..255`);
  return v as number[];
}

/** A link definition object (HostData entry) with its sealed secrets checked (never opened here). */
export function decodeLinkDefinitionObject(v: unknown, what: string): LinkDefinition {
  const o = asObject(v, what);
  const l: LinkDefinition = decodeLinkDefinition(JSON.stringify(o));
  for (const side of SIDES) {
    const s = sealedField(o, side);
    if (s) l[side] = s;
  }
  return l;
}

/** A `linkdefs.put` body. @throws {LatticeError} LAT_BAD_PAYLOAD naming the field, never quoting a value. */
export function decodeWireLinkDefinition(data: Uint8Array | string): LinkDefinition {
  return decodeLinkDefinitionObject(parseJson(data, 'link definition'), 'link definition');
}

/** The link without its sealed fields (what a provider's hooks see). */
export function withoutSealed(l: LinkDefinition): ResolvedLink {
  const { source_secrets: _s, target_secrets: _t, ...rest } = l;
  return rest;
}

/** Decodes the opened JSON of one side (strictly: see secret-values.ts); never quotes a value. */
function decodeOpened(text: string, side: string): Record<string, SecretValue> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw bad('the opened box is not JSON');
  }
  return decodeSecretMap(v, `link secrets: ${side}`);
}

/**
 * Opens the sealed sides of a link with the provider's xkey (sealed by `hostXkey`).
 * @throws {LatticeError} LAT_BAD_PAYLOAD when a box does not open or holds no valid secret map.
 */
export function openLinkSecrets(provider: XKeyPair, hostXkey: string, l: LinkDefinition): Sides {
  if (!isXkeyPublic(hostXkey)) throw bad('the host xkey is not a public xkey');
  const out: Sides = {};
  for (const side of SIDES) {
    const sealed = l[side];
    if (!sealed) continue;
    out[side] = decodeOpened(new TextDecoder().decode(openFrom(provider, Uint8Array.from(sealed), hostXkey)), side);
  }
  return out;
}
