import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { connectNats, RateLimitedLog } from '../../lattice/index.ts';
import type { Link } from '../../lattice/index.ts';
import { WitError } from '../sdk/index.ts';
import type { Provider, ProviderContext, ResolvedLink } from '../sdk/index.ts';
import { ConnectionPool, configValue, natsTargetOf } from './connections.ts';
import type { NatsTarget } from './connections.ts';
import { ReplyTracker } from './reply-tracker.ts';
import { checkSubjectUse, malformedSubject, parsePublishSubjects } from './subject-policy.ts';

const HANDLE = 'wasmcloud:messaging/handler.handle-message';
/** The longest `request` a guest may wait for (its execution time limit usually ends it sooner). */
const MAX_REQUEST_TIMEOUT_MS = 600_000;
const bytes = (v: unknown): Uint8Array =>
  v instanceof Uint8Array ? v : Array.isArray(v) ? Uint8Array.from(v as number[]) : new Uint8Array();
const sourceUser = (l: Link): string => `source|${l.target}|${l.name}`;
const targetUser = (l: Link): string => `target|${l.source_id}|${l.name}`;
const quoted = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

/** Parses `SUBSCRIPTIONS`: `subject[|queue],subject[|queue]` (wasmCloud's format). */
export function parseSubscriptions(text: string | undefined): { subject: string; queue?: string }[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [subject = '', queue] = s.split('|');
      return queue ? { subject: subject.trim(), queue: queue.trim() } : { subject: subject.trim() };
    });
}

/**
 * `weft+builtin://messaging-nats`: `wasmcloud:messaging@0.2.0`. As a link **source** it subscribes to the link's
 * `SUBSCRIPTIONS` (queue groups with `subject|queue`) and delivers each message to the component's `handle-message`;
 * as a link **target** it serves the component's `consumer.publish` and `consumer.request`, on the subjects the link's
 * `PUBLISH_SUBJECTS` allows and on the reply-to of a message being delivered to it, never on reserved subjects
 * (see subject-policy.ts). Guest traffic runs on connections of the provider's own (`cluster_uris`, `client_jwt`,
 * `client_seed`, `client_creds`; by default the lattice's NATS with the host's credentials), never on the host's.
 */
export class NatsMessagingProvider implements Provider {
  #ctx!: ProviderContext;
  #refusals!: RateLimitedLog;
  #pool!: ConnectionPool;
  readonly #subs = new Map<string, { subs: Subscription[] }>();
  readonly #replies = new ReplyTracker();
  #closed = false;

  init(ctx: ProviderContext): void {
    this.#ctx = ctx;
    this.#refusals = new RateLimitedLog(ctx.log, { intervalMs: 10_000 });
    this.#pool = new ConnectionPool((t) => this.#connect(t));
  }

  async onLinkAsSource(link: ResolvedLink): Promise<void> {
    this.#unsubscribe(link);
    const state = { subs: [] as Subscription[] };
    this.#subs.set(sourceUser(link), state);
    const nc = await this.#pool.acquire(sourceUser(link), this.#target(link.source_config_values));
    if (this.#subs.get(sourceUser(link)) !== state) return; // deleted or replaced while connecting
    const wanted = parseSubscriptions(configValue(link.source_config_values, 'subscriptions'));
    for (const s of wanted) {
      const bad =
        malformedSubject(s.subject, true) ??
        (s.queue !== undefined && /[\s\u0000-\u001f\u007f]/u.test(s.queue)
          ? 'the queue name contains whitespace'
          : undefined);
      if (bad) {
        this.#ctx.log.warn(
          { component_id: link.target, subject: s.subject, reason: bad },
          'messaging subscription skipped; fix SUBSCRIPTIONS',
        );
        continue;
      }
      try {
        // a subject the connection's NATS user may not subscribe to is refused by the server: an error, no message
        const refused = (e: Error) =>
          this.#ctx.log.warn(
            { component_id: link.target, subject: s.subject, err: e.message },
            'messaging subscription refused by NATS; fix SUBSCRIPTIONS',
          );
        state.subs.push(
          nc.subscribe(s.subject, {
            queue: s.queue,
            callback: (e, m) => (e ? refused(e) : this.#deliver(link.target, m)),
          }),
        );
      } catch (err) {
        this.#ctx.log.warn(
          { component_id: link.target, subject: s.subject, err: (err as Error).message },
          'messaging subscription refused by NATS; fix SUBSCRIPTIONS',
        );
      }
    }
    this.#ctx.log.info(
      { component_id: link.target, subscriptions: state.subs.map((s) => s.getSubject()) },
      'messaging subscriptions set',
    );
  }

  onLinkAsTarget(link: ResolvedLink): void {
    // connect ahead of the first call; a failure is logged here and reported to the guest on its calls
    this.#connection(link).catch((err: unknown) =>
      this.#ctx.log.warn({ component_id: link.source_id, err: (err as Error).message }, 'messaging connection failed'),
    );
  }

  onLinkDeleted(link: Link, role: 'source' | 'target'): void {
    if (role === 'source') this.#unsubscribe(link);
    else this.#pool.release(targetUser(link));
  }

  async handleImport(
    source: string,
    link: ResolvedLink,
    iface: string,
    func: string,
    args: unknown[],
  ): Promise<unknown> {
    if (!iface.startsWith('wasmcloud:messaging/consumer')) throw new Error(`messaging-nats does not serve ${iface}`);
    if (func === 'publish') {
      const m = (args[0] ?? {}) as { subject?: unknown; body?: unknown; replyTo?: unknown; 'reply-to'?: unknown };
      const replyTo = m.replyTo ?? m['reply-to'] ?? undefined;
      this.#authorize(source, link, 'publish', m.subject, replyTo);
      const nc = await this.#guestConnection(link);
      this.#consume(source, m.subject as string, replyTo as string | undefined);
      try {
        nc.publish(m.subject as string, bytes(m.body), { reply: (replyTo as string | undefined) ?? undefined });
      } catch (err) {
        throw new WitError(`publish on ${quoted(m.subject as string)} failed: ${(err as Error).message}`);
      }
      return undefined;
    }
    if (func === 'request') {
      const [subject, body, timeout] = args as [unknown, unknown, unknown];
      this.#authorize(source, link, 'request', subject, undefined);
      const nc = await this.#guestConnection(link);
      this.#consume(source, subject as string, undefined);
      const ms = typeof timeout === 'number' && timeout > 0 ? Math.min(timeout, MAX_REQUEST_TIMEOUT_MS) : 5000;
      try {
        const r = await nc.request(subject as string, bytes(body), { timeout: ms });
        return { subject: r.subject, body: r.data, replyTo: null };
      } catch (err) {
        throw new WitError(`request on ${quoted(subject as string)} failed: ${(err as Error).message}`);
      }
    }
    throw new Error(`messaging-nats has no function ${func}`);
  }

  async shutdown(): Promise<void> {
    this.#closed = true;
    for (const { subs } of this.#subs.values()) for (const s of subs) s.unsubscribe();
    this.#subs.clear();
    await this.#pool?.closeAll();
  }

  /** Delivers one message to the component; its reply-to may be answered until the call settles. */
  #deliver(
    componentId: string,
    m: { subject: string; data: Uint8Array; reply?: string; headers?: { get(k: string): string } },
  ): void {
    const msg = { subject: m.subject, body: m.data, replyTo: m.reply || null };
    const settle = this.#replies.deliver(componentId, m.reply);
    this.#ctx
      .invoke(componentId, HANDLE, [msg], { traceparent: m.headers?.get('traceparent') || undefined })
      .catch((err: unknown) =>
        this.#ctx.log.warn(
          { component_id: componentId, subject: m.subject, err: (err as Error).message },
          'message delivery failed',
        ),
      )
      .finally(settle);
  }

  /** @throws {WitError} `[MSG_SUBJECT_DENIED] …` when the subject or reply-to may not be used (logged, rate-limited). */
  #authorize(source: string, link: ResolvedLink, op: 'publish' | 'request', subject: unknown, replyTo: unknown): void {
    const text = configValue(link.target_config_values, 'publish_subjects');
    const { patterns, invalid } = parsePublishSubjects(text);
    const refusal = checkSubjectUse({
      subject,
      replyTo,
      allowed: patterns,
      isCurrentReply: (s) => this.#replies.has(source, s),
    });
    if (!refusal) return;
    const ignored = invalid.length ? { ignored_patterns: invalid.map((i) => `${i.pattern}: ${i.reason}`) } : {};
    this.#refusals.warn(
      source,
      { component_id: source, op, field: refusal.field, subject: refusal.subject, reason: refusal.reason, ...ignored },
      'messaging-nats refused a guest subject',
    );
    const what =
      refusal.field === 'subject'
        ? `${op} on ${quoted(refusal.subject)}`
        : `${op} with reply-to ${quoted(refusal.subject)}`;
    throw new WitError(`[MSG_SUBJECT_DENIED] ${what} refused: ${refusal.reason}`);
  }

  #consume(source: string, subject: string, replyTo: string | undefined): void {
    this.#replies.consume(source, subject);
    if (replyTo) this.#replies.consume(source, replyTo);
  }

  /** The link's connection for a guest call. @throws {WitError} `[MSG_CONNECT] …` (the reason goes to the log only: it may name servers). */
  async #guestConnection(link: ResolvedLink): Promise<NatsConnection> {
    try {
      return await this.#connection(link);
    } catch (err) {
      this.#refusals.warn(
        `connect|${link.source_id}`,
        { component_id: link.source_id, err: (err as Error).message },
        'messaging connection failed',
      );
      throw new WitError('[MSG_CONNECT] messaging-nats has no NATS connection for this link; the host log says why');
    }
  }

  async #connection(link: ResolvedLink): Promise<NatsConnection> {
    if (this.#closed) throw new Error('messaging-nats is shut down');
    return this.#pool.acquire(targetUser(link), this.#target(link.target_config_values));
  }

  #target(linkConfig: Record<string, string>): NatsTarget {
    return natsTargetOf(linkConfig, this.#ctx.config, this.#ctx.natsOptions);
  }

  #connect(t: NatsTarget): Promise<NatsConnection> {
    return connectNats({
      url: t.servers,
      jwt: t.jwt,
      seed: t.seed,
      credsFile: t.credsFile,
      persistent: true,
      name: `weft-messaging-nats-${this.#ctx.providerId}`,
    });
  }

  #unsubscribe(link: Link): void {
    for (const s of this.#subs.get(sourceUser(link))?.subs ?? []) s.unsubscribe();
    this.#subs.delete(sourceUser(link));
    this.#pool.release(sourceUser(link));
  }
}
