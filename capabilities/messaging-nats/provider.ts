import type { Subscription } from '@nats-io/transport-node';
import type { Link } from '../../lattice/index.ts';
import type { Provider, ProviderContext, ResolvedLink } from '../sdk/index.ts';

const HANDLE = 'wasmcloud:messaging/handler.handle-message';
const bytes = (v: unknown): Uint8Array => (v instanceof Uint8Array ? v : Uint8Array.from((v as number[]) ?? []));
const key = (l: Link): string => `${l.target}|${l.name}`;

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
 * as a link **target** it serves the component's `consumer.publish` and `consumer.request`.
 */
export class NatsMessagingProvider implements Provider {
  #ctx!: ProviderContext;
  readonly #subs = new Map<string, Subscription[]>();

  init(ctx: ProviderContext): void {
    this.#ctx = ctx;
  }

  onLinkAsSource(link: ResolvedLink): void {
    this.#unsubscribe(link);
    const subs = parseSubscriptions(link.source_config_values['SUBSCRIPTIONS'] ?? link.source_config_values['subscriptions']).map((s) =>
      this.#ctx.nc.subscribe(s.subject, {
        queue: s.queue,
        callback: (_e, m) => {
          const msg = { subject: m.subject, body: m.data, replyTo: m.reply ?? null };
          this.#ctx.invoke(link.target, HANDLE, [msg], { traceparent: m.headers?.get('traceparent') || undefined }).catch((err: unknown) =>
            this.#ctx.log.warn({ component_id: link.target, subject: m.subject, err: (err as Error).message }, 'message delivery failed'),
          );
        },
      }),
    );
    this.#subs.set(key(link), subs);
    this.#ctx.log.info({ component_id: link.target, subscriptions: subs.map((s) => s.getSubject()) }, 'messaging subscriptions set');
  }

  onLinkDeleted(link: Link, role: 'source' | 'target'): void {
    if (role === 'source') this.#unsubscribe(link);
  }

  async handleImport(_source: string, _link: ResolvedLink, iface: string, func: string, args: unknown[]): Promise<unknown> {
    if (!iface.startsWith('wasmcloud:messaging/consumer')) throw new Error(`messaging-nats does not serve ${iface}`);
    if (func === 'publish') {
      const m = args[0] as { subject: string; body: unknown; replyTo?: string | null; 'reply-to'?: string | null };
      this.#ctx.nc.publish(m.subject, bytes(m.body), { reply: m.replyTo ?? m['reply-to'] ?? undefined });
      return undefined;
    }
    if (func === 'request') {
      const [subject, body, timeout] = args as [string, unknown, number];
      const r = await this.#ctx.nc.request(subject, bytes(body), { timeout: timeout || 5000 });
      return { subject: r.subject, body: r.data, replyTo: null };
    }
    throw new Error(`messaging-nats has no function ${func}`);
  }

  #unsubscribe(link: Link): void {
    for (const s of this.#subs.get(key(link)) ?? []) s.unsubscribe();
    this.#subs.delete(key(link));
  }

  shutdown(): void {
    for (const subs of this.#subs.values()) for (const s of subs) s.unsubscribe();
    this.#subs.clear();
  }
}
