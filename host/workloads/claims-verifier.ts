import { ClaimsError, ClaimsErrorCode, inspectComponent, verifyComponent } from '../../lattice/wascap/index.ts';
import type { ComponentClaims } from '../../lattice/wascap/index.ts';
import type { ClaimsStore, PolicyComponentInfo, PolicyDecision, PolicyInvocationInfo, PolicyKind, PolicyProviderInfo } from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ComponentVerifier, VerifiedComponent } from './runtime-port.ts';

/** Port of the policy service (implemented by `NatsPolicyClient`). */
export interface PolicyPort {
  evaluate(kind: PolicyKind, request: PolicyComponentInfo | PolicyProviderInfo | PolicyInvocationInfo, cacheKey: string): Promise<PolicyDecision>;
}

/** Options of {@link ClaimsVerifier}. */
export interface ClaimsVerifierOptions {
  /** Run components without claims (local development). @default false */
  allowUnsigned: boolean;
  /** Only these issuers (account public keys); any when empty. */
  allowedIssuers: string[];
  policy?: PolicyPort;
  claims?: ClaimsStore;
  logger?: Logger;
}

/** The `claims.get` entry of a component (wasmCloud's map, with legacy duplicate keys). */
export function claimsEntry(c: ComponentClaims): Record<string, string> {
  return {
    call_alias: c.wascap.call_alias ?? '',
    issuer: c.iss,
    iss: c.iss,
    name: c.wascap.name ?? '',
    revision: String(c.wascap.rev ?? 0),
    rev: String(c.wascap.rev ?? 0),
    subject: c.sub,
    sub: c.sub,
    tags: (c.wascap.tags ?? []).join(','),
    version: c.wascap.ver ?? '',
  };
}

/**
 * Secure by default: refuses unsigned components (unless allowed), bad signatures, hash mismatches, expired or
 * not-yet-valid claims and issuers outside `allowedIssuers`; then asks the policy service (if any). Stores the
 * claims of what it admits in `LATTICEDATA_{lattice}` for `claims.get`.
 */
export class ClaimsVerifier implements ComponentVerifier {
  readonly #o: ClaimsVerifierOptions;
  constructor(o: ClaimsVerifierOptions) {
    this.#o = o;
  }

  async verify(
    bytes: Uint8Array,
    ctx: { componentId: string; imageRef: string; maxInstances: number; annotations: Record<string, string> },
  ): Promise<VerifiedComponent> {
    let claims: ComponentClaims | undefined;
    if (inspectComponent(bytes) === undefined) {
      if (!this.#o.allowUnsigned) verifyComponent(bytes); // throws CLAIMS_NOT_SIGNED with the hint
    } else {
      claims = verifyComponent(bytes, { allowedIssuers: this.#o.allowedIssuers });
    }
    if (this.#o.policy) {
      const now = Math.floor(Date.now() / 1000);
      const request: PolicyComponentInfo = {
        componentId: ctx.componentId,
        imageRef: ctx.imageRef,
        maxInstances: ctx.maxInstances,
        annotations: ctx.annotations,
        ...(claims
          ? {
              claims: {
                publicKey: claims.sub,
                issuer: claims.iss,
                issuedAt: String(claims.iat),
                expiresAt: claims.exp !== undefined ? String(claims.exp) : undefined,
                expired: claims.exp !== undefined && claims.exp < now,
              },
            }
          : {}),
      };
      const d = await this.#o.policy.evaluate('startComponent', request, `${ctx.componentId}|${ctx.imageRef}|${claims?.sub ?? ''}`);
      if (!d.permitted) throw new HostError(HostErrorCode.Refused, `policy service denied starting ${ctx.componentId}: ${d.message || 'no reason given'}`);
    }
    if (!claims) return {};
    await this.#o.claims?.put(claims.sub, claimsEntry(claims)).catch((err: unknown) => this.#o.logger?.warn({ err }, 'cannot store claims'));
    return { publicKey: claims.sub, claims: { ...claims.wascap, issuer: claims.iss, subject: claims.sub }, caps: claims.wascap.caps };
  }
}

export { ClaimsError, ClaimsErrorCode };
