import type { KeyPair } from '@nats-io/nkeys';
import { ClaimsError, ClaimsErrorCode } from './errors.ts';
import { decodeJwt, encodeJwt, keyRoleProblem, newJti, verifySignature, WASCAP_REVISION } from './jwt.ts';
import type { ComponentClaims } from './jwt.ts';
import { embedJwt, extractJwt, moduleHash } from './wasm-sections.ts';

/** What to sign into a component. */
export interface SignOptions {
  issuer: KeyPair;
  /** Subject key (M…) or its public key. */
  subject: KeyPair | string;
  name?: string;
  ver?: string;
  rev?: number;
  tags?: string[];
  /** Capability packages or interfaces the component may use (`wasi:keyvalue`); `[]` denies all, undefined = unrestricted. */
  caps?: string[];
  callAlias?: string;
  /** Valid for this many days. */
  expiresInDays?: number;
  /** Not valid before this many days from now. */
  notBeforeDays?: number;
  /** Seconds since epoch, for tests. @default now */
  now?: number;
}

/** Signs a component or module: strips old JWT sections, computes the hash, appends `wasmcloud_jwt`. */
export function signComponent(
  bytes: Uint8Array,
  o: SignOptions,
): { bytes: Uint8Array; claims: ComponentClaims; jwt: string } {
  const now = o.now ?? Math.floor(Date.now() / 1000);
  const day = 86_400;
  const claims: ComponentClaims = {
    jti: newJti(),
    iat: now,
    iss: o.issuer.getPublicKey(),
    sub: typeof o.subject === 'string' ? o.subject : o.subject.getPublicKey(),
    ...(o.expiresInDays !== undefined ? { exp: now + Math.round(o.expiresInDays * day) } : {}),
    ...(o.notBeforeDays !== undefined ? { nbf: now + Math.round(o.notBeforeDays * day) } : {}),
    wascap: {
      ...(o.name !== undefined ? { name: o.name } : {}),
      hash: moduleHash(bytes),
      tags: o.tags ?? [],
      ...(o.caps !== undefined ? { caps: [...o.caps] } : {}),
      rev: o.rev ?? 0,
      ver: o.ver ?? '0.1.0',
      ...(o.callAlias ? { call_alias: o.callAlias } : {}),
      prov: false,
    },
    wascap_revision: WASCAP_REVISION,
  };
  const jwt = encodeJwt(claims, o.issuer);
  return { bytes: embedJwt(bytes, jwt), claims, jwt };
}

/** Everything `weft claims inspect` shows. */
export interface Inspection {
  claims: ComponentClaims;
  hash: string;
  signatureValid: boolean;
  hashValid: boolean;
  /** Issuer is an account key (`A…`) and subject a component key (`M…`). */
  keyRolesValid: boolean;
  expired: boolean;
  notYetValid: boolean;
}

/**
 * Reads and checks the embedded claims without throwing on a failed check.
 * @returns undefined for an unsigned binary. @throws {ClaimsError} CLAIMS_BAD_WASM / CLAIMS_BAD_TOKEN when unreadable.
 */
export function inspectComponent(bytes: Uint8Array, nowSec = Math.floor(Date.now() / 1000)): Inspection | undefined {
  const jwt = extractJwt(bytes);
  if (jwt === undefined) return undefined;
  const { claims } = decodeJwt(jwt);
  const hash = moduleHash(bytes);
  return {
    claims,
    hash,
    signatureValid: verifySignature(jwt),
    keyRolesValid: keyRoleProblem(claims) === undefined,
    hashValid: claims.wascap.hash.toUpperCase() === hash,
    expired: claims.exp !== undefined && claims.exp < nowSec,
    notYetValid: claims.nbf !== undefined && claims.nbf > nowSec,
  };
}

/**
 * Verifies a component's claims, throwing the first failure.
 * @throws {ClaimsError} CLAIMS_NOT_SIGNED, CLAIMS_KEY_ROLE, CLAIMS_BAD_SIGNATURE, CLAIMS_HASH_MISMATCH, CLAIMS_EXPIRED,
 * CLAIMS_NOT_YET_VALID, CLAIMS_ISSUER_NOT_ALLOWED.
 */
export function verifyComponent(
  bytes: Uint8Array,
  o: { allowedIssuers?: string[]; nowSec?: number } = {},
): ComponentClaims {
  const i = inspectComponent(bytes, o.nowSec);
  if (!i)
    throw new ClaimsError(
      ClaimsErrorCode.NotSigned,
      'the component is not signed: sign it with `weft claims sign`, or run the host with --allow-unsigned',
    );
  const c = i.claims;
  const role = keyRoleProblem(c);
  if (role) throw new ClaimsError(ClaimsErrorCode.KeyRole, role);
  if (!i.signatureValid)
    throw new ClaimsError(
      ClaimsErrorCode.BadSignature,
      `the claims signature does not verify with issuer ${c.iss}: the token was altered`,
    );
  if (!i.hashValid)
    throw new ClaimsError(
      ClaimsErrorCode.HashMismatch,
      `the component's hash ${i.hash} does not match its claims (${c.wascap.hash}): the code was changed after signing`,
    );
  if (i.expired)
    throw new ClaimsError(
      ClaimsErrorCode.Expired,
      `the claims expired at ${new Date((c.exp ?? 0) * 1000).toISOString()}: re-sign the component`,
    );
  if (i.notYetValid)
    throw new ClaimsError(
      ClaimsErrorCode.NotYetValid,
      `the claims are not valid before ${new Date((c.nbf ?? 0) * 1000).toISOString()}`,
    );
  if (o.allowedIssuers?.length && !o.allowedIssuers.includes(c.iss)) {
    throw new ClaimsError(ClaimsErrorCode.IssuerNotAllowed, `issuer ${c.iss} is not in the host's --allowed-issuers`);
  }
  return c;
}
