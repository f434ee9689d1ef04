import { randomUUID } from 'node:crypto';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { dropBadInput } from '../bad-input.ts';
import { DecisionCache } from './decision-cache.ts';
import { decodePolicyResponse } from './decode-policy.ts';
import type { PolicyHostInfo, PolicyKind, PolicyRequest } from './types.ts';

/** Options of {@link NatsPolicyClient}. */
export interface PolicyClientOptions {
  topic: string;
  changesTopic?: string;
  /** @default 1000 */
  timeoutMs?: number;
  host: PolicyHostInfo;
  /** How long a decision is reused (ms). @default 60000 */
  cacheTtlMs?: number;
  /** Most decisions kept (least recently used evicted first). @default 10000 */
  cacheMaxEntries?: number;
}

/** A policy decision. */
export interface PolicyDecision {
  permitted: boolean;
  message: string;
  requestId: string;
}

/**
 * Asks the policy service (wasmCloud protocol) whether an action is permitted. Decisions are cached per
 * (kind, cacheKey) for `cacheTtlMs`, at most `cacheMaxEntries` of them; callers put the artifact's digest in the
 * key where they have one, so a replaced `:latest` is asked about again. A message on the changes topic overrides
 * the cached decision with the same `requestId`. A timeout, an error or a malformed reply (or one for another
 * request id) is a denial and is not cached.
 *
 * Replies are not signed (nor are they in wasmCloud): give the policy topic NATS permissions so that only the
 * policy service's identity can publish on the reply inboxes and the changes topic (see lattice/README.md).
 */
export class NatsPolicyClient {
  readonly #nc: NatsConnection;
  readonly #o: PolicyClientOptions;
  readonly #cache: DecisionCache<PolicyDecision>;
  readonly #byRequestId: DecisionCache<string>;
  #sub: Subscription | undefined;

  constructor(nc: NatsConnection, opts: PolicyClientOptions) {
    this.#nc = nc;
    this.#o = opts;
    const c = { ttlMs: opts.cacheTtlMs, maxEntries: opts.cacheMaxEntries };
    this.#cache = new DecisionCache(c);
    this.#byRequestId = new DecisionCache(c);
    if (opts.changesTopic) {
      this.#sub = nc.subscribe(opts.changesTopic, { callback: (_e, m) => this.#onChange(m.data) });
    }
  }

  /** Evaluates (or returns the cached decision for) a request. Never throws: failures deny. */
  async evaluate(kind: PolicyKind, request: PolicyRequest['request'], cacheKey: string): Promise<PolicyDecision> {
    const key = `${kind}|${cacheKey}`;
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const req: PolicyRequest = { requestId: randomUUID(), kind, version: 'v1', request, host: this.#o.host };
    let decision: PolicyDecision;
    try {
      const msg = await this.#nc.request(this.#o.topic, JSON.stringify(req), { timeout: this.#o.timeoutMs ?? 1000 });
      const res = decodePolicyResponse(msg.data, req.requestId);
      decision = { permitted: res.permitted, message: res.message ?? '', requestId: req.requestId };
      this.#cache.set(key, decision);
      this.#byRequestId.set(req.requestId, key);
    } catch (err) {
      // not cached: a later request may succeed once the service is back
      decision = {
        permitted: false,
        message: `policy service did not answer (${(err as Error).message}): denied`,
        requestId: req.requestId,
      };
    }
    return decision;
  }

  close(): void {
    this.#sub?.unsubscribe();
  }

  #onChange(data: Uint8Array): void {
    try {
      const res = decodePolicyResponse(data);
      const key = this.#byRequestId.get(res.requestId);
      if (key)
        this.#cache.replace(key, { permitted: res.permitted, message: res.message ?? '', requestId: res.requestId });
    } catch (err) {
      dropBadInput(`policy changes ${this.#o.changesTopic ?? ''}`, err);
    }
  }
}
