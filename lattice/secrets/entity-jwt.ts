/**
 * The JWTs of a secrets request's context: the host's self-signed host JWT (as wasmCloud's host makes one: a random
 * account key signs `sub` = host id, label `self_signed: "true"`), a JWT for built-in providers (which have no
 * signed claims; the host's account key issues them), and a decoder that checks any of them without trusting it.
 */
import { fromPublic } from '@nats-io/nkeys';
import type { KeyPair } from '@nats-io/nkeys';
import { generateKey, newJti, publicKeyRole, WASCAP_REVISION } from '../wascap/index.ts';

const enc = new TextEncoder();
const b64 = (s: string | Uint8Array): string => Buffer.from(s).toString('base64url');

/** Signs `claims` (with `jti`, `iat`, `wascap_revision` added) by `issuer`. */
export function signEntityJwt(
  claims: { iss?: string; sub: string; wascap: Record<string, unknown> },
  issuer: KeyPair,
): string {
  const body = {
    jti: newJti(),
    iat: Math.floor(Date.now() / 1000),
    wascap_revision: WASCAP_REVISION,
    ...claims,
    iss: issuer.getPublicKey(),
  };
  const input = `${b64(JSON.stringify({ typ: 'jwt', alg: 'Ed25519' }))}.${b64(JSON.stringify(body))}`;
  return `${input}.${b64(issuer.sign(enc.encode(input)))}`;
}

/** The identity a host presents to secrets backends: its account key and host JWT, made once per host start. */
export interface HostIdentity {
  account: KeyPair;
  hostJwt: string;
}

/** A fresh self-signed identity for host `hostId` (an `N…` key). */
export function createHostIdentity(hostId: string, name: string, labels: Record<string, string> = {}): HostIdentity {
  const account = generateKey('account');
  const hostJwt = signEntityJwt({ sub: hostId, wascap: { name, labels: { ...labels, self_signed: 'true' } } }, account);
  return { account, hostJwt };
}

/** A provider JWT for a built-in provider `providerId`, issued by the host's account (subject a fresh `V…` key). */
export function builtinProviderJwt(identity: HostIdentity, providerId: string): string {
  const sub = generateKey('provider').getPublicKey();
  return signEntityJwt({ sub, wascap: { name: providerId, vendor: 'weft', target_hashes: {} } }, identity.account);
}

/** What a backend learns from a JWT it was sent (nothing of it is trusted before `signatureValid`). */
export interface EntityToken {
  iss: string;
  sub: string;
  /** `M` component, `V` provider, `N` host, … (the subject key's role). */
  role: string | undefined;
  exp?: number;
  nbf?: number;
  wascap: Record<string, unknown>;
  signatureValid: boolean;
}

/** Decodes a JWT of any wascap kind. @returns undefined when it is not one (never throws). */
export function readEntityJwt(token: string): EntityToken | undefined {
  if (typeof token !== 'string' || token.length > 64 * 1024) return undefined;
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return undefined;
  try {
    const head = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const c = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (head['alg'] !== 'Ed25519' || typeof c['iss'] !== 'string' || typeof c['sub'] !== 'string') return undefined;
    const num = (k: string): number | undefined => (typeof c[k] === 'number' ? (c[k] as number) : undefined);
    const wascap = c['wascap'] && typeof c['wascap'] === 'object' ? (c['wascap'] as Record<string, unknown>) : {};
    let signatureValid = false;
    try {
      signatureValid =
        publicKeyRole(c['iss']) === 'A' &&
        fromPublic(c['iss']).verify(enc.encode(`${parts[0]}.${parts[1]}`), Buffer.from(parts[2]!, 'base64url'));
    } catch {
      signatureValid = false;
    }
    return {
      iss: c['iss'],
      sub: c['sub'],
      role: publicKeyRole(c['sub']),
      exp: num('exp'),
      nbf: num('nbf'),
      wascap,
      signatureValid,
    };
  } catch {
    return undefined;
  }
}

/** Why a token is not currently usable (bad signature, expired, not yet valid); undefined when it is. */
export function tokenProblem(t: EntityToken | undefined, now = Math.floor(Date.now() / 1000)): string | undefined {
  if (!t) return 'not a wascap JWT';
  if (!t.signatureValid) return 'signature is not valid';
  if (t.exp !== undefined && t.exp < now) return 'token expired';
  if (t.nbf !== undefined && t.nbf > now) return 'token not valid yet';
  return undefined;
}
