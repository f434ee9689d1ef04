import { createHash } from 'node:crypto';
import { ClaimsError, ClaimsErrorCode, inspectComponent, verifyComponent } from '../../lattice/wascap/index.ts';
import type { ComponentClaims } from '../../lattice/wascap/index.ts';
import type { ClaimsStore, PolicyComponentInfo } from '../../lattice/index.ts';
import type { Logger } from '../logger.ts';
import { requirePermitted } from '../policy/index.ts';
import type { PolicyPort } from '../policy/index.ts';
import type { ComponentVerifier, VerifiedComponent } from './runtime-port.ts';

/** The policy port, at its old address (it lives in host/policy/ now). */
export type { PolicyPort } from '../policy/index.ts';

/** Options of {@link ClaimsVerifier}. */
export interface ClaimsVerifierOptions {
  /** Run components without claims (local development). @default false */
  allowUnsigned: boolean;
  /** Only these issuers (account public keys); any when empty. */
  allowedIssuers: string[];
  /** Refuse components without a caps claim (unsigned ones included): none runs unrestricted. @default false */
  requireCaps?: boolean;
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
      if (this.#o.requireCaps)
        throw new ClaimsError(
          ClaimsErrorCode.NoCaps,
          'the component is unsigned and this host runs with --require-caps: sign it with --cap for each capability it uses',
        );
    } else {
      claims = verifyComponent(bytes, { allowedIssuers: this.#o.allowedIssuers });
      if (this.#o.requireCaps && claims.wascap.caps === undefined) {
        throw new ClaimsError(
          ClaimsErrorCode.NoCaps,
          `the claims of ${claims.sub} have no caps claim (unrestricted) and this host runs with --require-caps: re-sign it with --cap for each capability it uses`,
        );
      }
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
      // keyed by the artifact's digest, not its (mutable) ref: a replaced `:latest` is asked about again
      const digest = createHash('sha256').update(bytes).digest('hex');
      await requirePermitted(
        this.#o.policy,
        'startComponent',
        request,
        `${ctx.componentId}|sha256:${digest}|${claims?.sub ?? ''}`,
        `starting ${ctx.componentId}`,
      );
    }
    if (!claims) return {};
    await this.#store(claims).catch((err: unknown) => this.#o.logger?.warn({ err }, 'cannot store claims'));
    return {
      publicKey: claims.sub,
      claims: { ...claims.wascap, issuer: claims.iss, subject: claims.sub },
      caps: claims.wascap.caps,
      issuer: claims.iss,
      expiresAt: claims.exp,
    };
  }

  /**
   * Stores the claims for `claims.get`, unless the subject's stored claims name another issuer: anyone can sign a
   * token for any subject key, so the first issuer's entry stays and the change is logged.
   */
  async #store(claims: ComponentClaims): Promise<void> {
    const store = this.#o.claims;
    if (!store) return;
    const prev = await store.get(claims.sub);
    const prevIssuer = prev?.['issuer'] || prev?.['iss'];
    if (prevIssuer && prevIssuer !== claims.iss) {
      this.#o.logger?.warn(
        { subject: claims.sub, stored_issuer: prevIssuer, issuer: claims.iss },
        `the stored claims of ${claims.sub} were issued by ${prevIssuer}, not ${claims.iss}: not overwritten (set --allowed-issuers to refuse unknown issuers)`,
      );
      return;
    }
    await store.put(claims.sub, claimsEntry(claims));
  }
}

export { ClaimsError, ClaimsErrorCode };
