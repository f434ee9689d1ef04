import { headers } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsServer } from '../../test/helpers/index.ts';
import type { RunningNatsServer } from '../index.ts';
import { connectNats } from '../nats/connect.ts';
import { WitError } from './wit-error.ts';
import { encodeRpc } from './codec.ts';
import { invokeComponent } from './invoke.ts';
import { muxRequest } from './request-mux.ts';
import { serveRpc } from './serve.ts';
import type { RpcCall } from './serve.ts';

let ns: RunningNatsServer;
let nc: NatsConnection;
beforeAll(async () => {
  ns = await NatsServer.start();
  nc = await connectNats({ url: ns.url });
});
afterAll(async () => {
  await nc?.close();
  await ns?.stop();
});

describe('lattice RPC responder (serveRpc)', () => {
  it('serves calls with their operation, args and headers; a WitError and a coded error come back as such', async () => {
    const seen: Omit<RpcCall, 'msg'>[] = [];
    const s = serveRpc(nc, {
      lattice: 'sv',
      id: 'p',
      handle: ({ msg: _m, ...call }) => {
        seen.push(call);
        if (call.operation === 'ns:pkg/i.wit') throw new WitError({ tag: 'no-such-store' });
        if (call.operation === 'ns:pkg/i.coded') throw Object.assign(new Error('nope'), { code: 'X_CODE' });
        if (call.operation === 'ns:pkg/i.plain') throw new Error('plain');
        return call.args.length;
      },
      errorCode: 'PROVIDER_ERROR',
    });
    await nc.flush();
    const o = {
      sourceId: 'caller',
      linkName: 'other',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    };
    expect(await invokeComponent(nc, 'sv', 'p', 'ns:pkg/i.f', [1, 2, 3], o)).toBe(3);
    expect(seen[0]).toEqual({ operation: 'ns:pkg/i.f', args: [1, 2, 3], ...o });
    await expect(invokeComponent(nc, 'sv', 'p', 'ns:pkg/i.wit', [])).rejects.toMatchObject({
      code: 'WIT_ERROR',
      message: '[WIT_ERROR] {"tag":"no-such-store"}',
    });
    await expect(invokeComponent(nc, 'sv', 'p', 'ns:pkg/i.coded', [])).rejects.toMatchObject({ code: 'X_CODE' });
    await expect(invokeComponent(nc, 'sv', 'p', 'ns:pkg/i.plain', [])).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
    });
    expect(await invokeComponent(nc, 'sv', 'p', 'f', [])).toBe(0);
    expect(seen.at(-1)).toMatchObject({ sourceId: '', linkName: 'default', traceparent: undefined });
    await s.drain();
  });

  it('hostile - junk payloads, non-list args and odd header codes get error replies; the subscription keeps serving', async () => {
    const s = serveRpc(nc, {
      lattice: 'sv',
      id: 'h',
      handle: () => {
        throw Object.assign(new Error('x'), { code: 'bad code\r\nInjected: 1' });
      },
    });
    await nc.flush();
    const subject = 'wasmbus.rpc.sv.h.ns:pkg/i.f';
    for (const data of [new Uint8Array([0xc1, 0xff]), encodeRpc({ not: 'a list' }), encodeRpc('s')]) {
      const r = await muxRequest(nc, subject, data, 2000);
      expect(r.headers?.get('Nats-Service-Error-Code')).toBe('LAT_BAD_PAYLOAD');
    }
    const r = await muxRequest(nc, subject, encodeRpc([]), 2000, headers());
    expect(r.headers?.get('Nats-Service-Error-Code')).toBe('LAT_CALL_FAILED');
    expect(r.headers?.get('Injected')).toBe('');
    await s.drain();
  });

  it('skip leaves operations to other subscriptions; the queue group shares calls between two responders', async () => {
    const served: string[] = [];
    const a = serveRpc(nc, { lattice: 'sv', id: 'q', handle: () => served.push('a'), skip: (op) => op === 'health' });
    const b = serveRpc(nc, { lattice: 'sv', id: 'q', handle: () => served.push('b'), skip: (op) => op === 'health' });
    await nc.flush();
    await Promise.all(Array.from({ length: 40 }, () => invokeComponent(nc, 'sv', 'q', 'ns:p/i.f', [])));
    expect(served).toHaveLength(40);
    expect(new Set(served)).toEqual(new Set(['a', 'b']));
    await expect(invokeComponent(nc, 'sv', 'q', 'health', [], { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'LAT_TIMEOUT',
    });
    await Promise.all([a.drain(), b.drain()]);
  });

  it('drain - takes no new calls, answers those in flight, then resolves', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s = serveRpc(nc, { lattice: 'sv', id: 'd', handle: async () => (await gate, 'late') });
    await nc.flush();
    const call = invokeComponent(nc, 'sv', 'd', 'ns:p/i.f', []);
    await expect.poll(() => s.inflight).toBe(1);
    const drained = s.drain();
    release();
    expect(await call).toBe('late');
    await drained;
    expect(s.inflight).toBe(0);
    await expect(invokeComponent(nc, 'sv', 'd', 'ns:p/i.f', [])).rejects.toMatchObject({ code: 'LAT_NO_RESPONDERS' });
  });

  it('batched replies - a burst of calls answered in one turn all arrive, each to its own caller', async () => {
    const s = serveRpc(nc, { lattice: 'sv', id: 'b', handle: ({ args }) => args[0] });
    await nc.flush();
    const n = Array.from({ length: 300 }, (_, i) => i);
    expect(await Promise.all(n.map((i) => invokeComponent(nc, 'sv', 'b', 'ns:p/i.f', [i])))).toEqual(n);
    await s.drain();
  });
});
