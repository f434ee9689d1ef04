import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { ctlSubject } from '../../lattice/index.ts';
import type { CtlResponse } from '../../lattice/index.ts';
import { body, codeOf, FakeCtlContext } from './fake-context.ts';
import { CtlServer } from './server.ts';

/** Captures the server's subscriptions and delivers messages to them, collecting the replies. */
function wire(ctx: FakeCtlContext) {
  const subs: { subject: string; queue?: string; cb: (e: unknown, m: Msg) => void }[] = [];
  const nc = {
    subscribe: (subject: string, o: { queue?: string; callback: (e: unknown, m: Msg) => void }) => {
      subs.push({ subject, queue: o.queue, cb: o.callback });
      return {
        unsubscribe: () =>
          void subs.splice(
            subs.findIndex((s) => s.subject === subject),
            1,
          ),
      };
    },
  } as unknown as NatsConnection;
  const server = new CtlServer(ctx);
  server.start(nc);
  /** Delivers on the subscription that would get `subject` (the queue one for link/config/claims). */
  const send = async (subject: string, data: unknown = '', queue = false): Promise<CtlResponse | undefined> => {
    const replies: string[] = [];
    const m = { subject, data: body(data), reply: '_INBOX.x', respond: (r: string) => replies.push(r) > 0 };
    const sub = subs.find((s) =>
      queue ? s.queue !== undefined && subject.startsWith(s.subject.slice(0, -1)) : !s.queue,
    );
    sub?.cb(null, m as unknown as Msg);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    return replies[0] ? (JSON.parse(replies[0]) as CtlResponse) : undefined;
  };
  return { server, subs, send };
}

describe('ctl server', () => {
  it('subscribes once for host/broadcast subjects and once per queue resource (link, config, claims)', () => {
    const { subs } = wire(new FakeCtlContext());
    expect(subs.map((s) => [s.subject, s.queue])).toEqual([
      ['wasmbus.ctl.v1.unit.>', undefined],
      ['wasmbus.ctl.v1.unit.link.>', 'wasmbus.ctl.v1.unit.link'],
      ['wasmbus.ctl.v1.unit.config.>', 'wasmbus.ctl.v1.unit.config'],
      ['wasmbus.ctl.v1.unit.claims.>', 'wasmbus.ctl.v1.unit.claims'],
    ]);
  });

  it('a host-scoped subject is answered only by the host it names', async () => {
    const ctx = new FakeCtlContext();
    const { send } = wire(ctx);
    expect((await send(ctlSubject.hostGet('unit', ctx.id)))?.response).toMatchObject({ host_id: ctx.id });
    expect(await send(ctlSubject.hostGet('unit', 'NOTHER'))).toBeUndefined();
    expect((await send(ctlSubject.hostPing('unit')))?.success).toBe(true);
  });

  it('queue resources are served only from their queue subscription (never twice)', async () => {
    const ctx = new FakeCtlContext();
    await ctx.config.put('c', { a: '1' });
    const { send } = wire(ctx);
    expect(await send(ctlSubject.configGet('unit', 'c'), '', false)).toBeUndefined();
    expect((await send(ctlSubject.configGet('unit', 'c'), '', true))?.response).toEqual({ a: '1' });
  });

  it('an unknown operation is HOST_UNSUPPORTED; a handler error becomes its coded reply', async () => {
    const ctx = new FakeCtlContext();
    const { send } = wire(ctx);
    expect(codeOf(await send(`${ctlSubject.prefix('unit')}host.explode`))).toBe('HOST_UNSUPPORTED');
    expect(codeOf(await send(ctlSubject.labelPut('unit', ctx.id), { key: 'hostcore.x', value: 'y' }))).toBe(
      'HOST_REFUSED',
    );
    expect(ctx.logged.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('stop - unsubscribes everything', () => {
    const { server, subs } = wire(new FakeCtlContext());
    server.stop();
    expect(subs).toEqual([]);
  });
});
