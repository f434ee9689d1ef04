import { randomUUID } from 'node:crypto';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { PolicyHostInfo, PolicyKind, PolicyRequest, PolicyResponse } from './types.ts';

/** Options of {@link NatsPolicyClient}. */
export interface PolicyClientOptions {
  topic: string;
  changesTopic?: string;
  /** @default 1000 */
  timeoutMs?: number;
  host: PolicyHostInfo;
}

/** A policy decision. */
export interface PolicyDecision {
  permitted: boolean;
  message: string;
  requestId: string;
}

/**
 * Asks the policy service (wasmCloud protocol) whether an action is permitted. Decisions are cached per
 * (kind, request); a message on the changes topic overrides the cached decision with the same `requestId`.
 * A timeout, an error or a malformed reply is a denial.
 */
export class NatsPolicyClient {
  readonly #nc: NatsConnection;
  readonly #o: PolicyClientOptions;
  readonly #cache = new Map<string, PolicyDecision>();
  readonly #byRequestId = new Map<string, string>();
  #sub: Subscription | undefined;

  constructor(nc: NatsConnection, opts: PolicyClientOptions) {
    this.#nc = nc;
    this.#o = opts;
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
      const res = msg.json<PolicyResponse>();
      if (typeof res?.permitted !== 'boolean') throw new Error('reply has no boolean "permitted"');
      decision = { permitted: res.permitted, message: res.message ?? '', requestId: req.requestId };
      this.#cache.set(key, decision);
      this.#byRequestId.set(req.requestId, key);
    } catch (err) {
      // not cached: a later request may succeed once the service is back
      decision = { permitted: false, message: `policy service did not answer (${(err as Error).message}): denied`, requestId: req.requestId };
    }
    return decision;
  }

  close(): void {
    this.#sub?.unsubscribe();
  }

  #onChange(data: Uint8Array): void {
    try {
      const res = JSON.parse(new TextDecoder().decode(data)) as PolicyResponse;
      const key = this.#byRequestId.get(res.requestId);
      if (key && typeof res.permitted === 'boolean') {
        this.#cache.set(key, { permitted: res.permitted, message: res.message ?? '', requestId: res.requestId });
      }
    } catch {
      // malformed change notifications are ignored
    }
  }
}
