import { randomBytes } from 'node:crypto';
import { fromPublic } from '@nats-io/nkeys';
import type { KeyPair } from '@nats-io/nkeys';
import { ClaimsError, ClaimsErrorCode } from './errors.ts';
import { publicKeyRole } from './nkey-codec.ts';

/** The only header wascap accepts (`alg` is the non-standard `Ed25519`). */
export const JWT_HEADER = { typ: 'jwt', alg: 'Ed25519' } as const;
/** The wascap revision weft writes. */
export const WASCAP_REVISION = 3;

/** wascap component metadata (`wascap` claim). */
export interface ComponentMetadata {
  name?: string;
  hash: string;
  tags?: string[];
  caps?: string[];
  rev?: number;
  ver?: string;
  call_alias?: string;
  prov: boolean;
}

/** wascap claims of a component. */
export interface ComponentClaims {
  jti: string;
  iat: number;
  iss: string;
  sub: string;
  exp?: number;
  nbf?: number;
  wascap: ComponentMetadata;
  wascap_revision?: number;
}

const b64 = (s: string | Uint8Array): string => Buffer.from(s).toString('base64url');
const enc = new TextEncoder();

/** A random id like wascap's nuid-based `jti`. */
export function newJti(): string {
  return randomBytes(16).toString('base64url').replace(/[-_]/g, 'x').slice(0, 22);
}

/** Encodes and signs claims with the issuer's key (an account key, `A…`). */
export function encodeJwt(claims: ComponentClaims, issuer: KeyPair): string {
  const head = b64(JSON.stringify(JWT_HEADER));
  const body = b64(JSON.stringify(claims));
  const sig = issuer.sign(enc.encode(`${head}.${body}`));
  return `${head}.${body}.${b64(sig)}`;
}

/**
 * Decodes a token without trusting it.
 * @throws {ClaimsError} CLAIMS_BAD_TOKEN when the token is not three base64url JSON segments of wascap shape.
 */
export function decodeJwt(token: string): { claims: ComponentClaims; signingInput: string; signature: Uint8Array } {
  const bad = (why: string): ClaimsError => new ClaimsError(ClaimsErrorCode.BadToken, `malformed claims token: ${why}`);
  if (typeof token !== 'string' || token.length > 64 * 1024) throw bad('not a string of reasonable size');
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p)))
    throw bad('expected three base64url segments');
  const [h = '', c = '', s = ''] = parts;
  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
  } catch {
    throw bad('header or claims are not JSON');
  }
  const hd = header as Record<string, unknown>;
  if (hd?.['typ'] !== 'jwt' || hd?.['alg'] !== 'Ed25519')
    throw bad(`header must be {"typ":"jwt","alg":"Ed25519"}, got ${JSON.stringify(header)}`);
  const cl = claims as Record<string, unknown>;
  for (const k of ['jti', 'iss', 'sub'] as const) if (typeof cl?.[k] !== 'string') throw bad(`claim "${k}" missing`);
  if (typeof cl['iat'] !== 'number') throw bad('claim "iat" missing');
  for (const k of ['exp', 'nbf'] as const)
    if (cl[k] !== undefined && typeof cl[k] !== 'number') throw bad(`claim "${k}" must be a number`);
  const md = cl['wascap'] as Record<string, unknown> | undefined;
  if (!md || typeof md !== 'object' || typeof md['hash'] !== 'string')
    throw bad('no wascap component metadata (wascap.hash)');
  // tags may be null (harmless); caps may not: null would read as "no caps claim" = unrestricted, so it is refused
  if (md['tags'] !== undefined && md['tags'] !== null && !isStringList(md['tags']))
    throw bad('wascap.tags must be a list of strings');
  if (md['caps'] !== undefined && !isStringList(md['caps']))
    throw bad(
      'wascap.caps must be a list of strings (omit it for an unrestricted component, [] denies every capability)',
    );
  return {
    claims: cl as unknown as ComponentClaims,
    signingInput: `${h}.${c}`,
    signature: new Uint8Array(Buffer.from(s, 'base64url')),
  };
}

const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * What is wrong with the roles of the claims' keys: wascap components are issued by an account (`A…`) for a
 * component subject (`M…`). @returns undefined when both are right.
 */
export function keyRoleProblem(claims: Pick<ComponentClaims, 'iss' | 'sub'>): string | undefined {
  if (publicKeyRole(claims.iss) !== 'A')
    return `the issuer ${claims.iss} is not an account key (A…); sign with an account key (\`weft keys gen account\`)`;
  if (publicKeyRole(claims.sub) !== 'M')
    return `the subject ${claims.sub} is not a component key (M…); sign with a component key (\`weft keys gen component\`)`;
  return undefined;
}

/** True when the signature was made by the `iss` key over the token. */
export function verifySignature(token: string): boolean {
  const { claims, signingInput, signature } = decodeJwt(token);
  try {
    return fromPublic(claims.iss).verify(enc.encode(signingInput), signature);
  } catch {
    return false;
  }
}
