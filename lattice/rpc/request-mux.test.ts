import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsServer } from '../../test/helpers/index.ts';
import type { RunningNatsServer } from '../index.ts';
import { connectNats } from '../nats/connect.ts';
import { invokeComponent } from './invoke.ts';
import { encodeRpc } from './codec.ts';

let ns: RunningNatsServer;
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
  await ns?.stop();
});

describe('lattice request mux', () => {
  it('invokeComponent - answers match their calls under concurrency; no responder and a silent responder give coded errors', async () => {
    const nc = await connectNats({ url: ns.url });
    // a responder that answers out of order (later calls first)
    nc.subscribe('wasmbus.rpc.mux.echo.>', {
      callback: (_e, m) => void setTimeout(() => m.respond(encodeRpc(m.data.length)), 20 - (m.data.length % 20)),
    });
    nc.subscribe('wasmbus.rpc.mux.silent.>', { callback: () => undefined });
    await nc.flush();
    const args = Array.from({ length: 200 }, (_, i) => 'x'.repeat(i));
    const out = await Promise.all(args.map((a) => invokeComponent(nc, 'mux', 'echo', 'f', [a])));
    // every caller gets the answer to its own request
    expect(out).toEqual(args.map((a) => encodeRpc([a]).length));
    await expect(invokeComponent(nc, 'mux', 'nobody', 'f', [])).rejects.toMatchObject({ code: 'LAT_NO_RESPONDERS' });
    await expect(invokeComponent(nc, 'mux', 'silent', 'f', [], { timeoutMs: 200 })).rejects.toMatchObject({
      code: 'LAT_TIMEOUT',
    });
    await nc.close();
  });

  it('invokeComponent - sends a header block only when it has a header to send', async () => {
    const nc = await connectNats({ url: ns.url });
    const seen: (Record<string, string[]> | undefined)[] = [];
    nc.subscribe('wasmbus.rpc.mux.hdr.>', {
      callback: (_e, m) => {
        seen.push(
          m.headers ? Object.fromEntries([...m.headers.keys()].map((k) => [k, m.headers!.values(k)])) : undefined,
        );
        m.respond(encodeRpc(0));
      },
    });
    await nc.flush();
    await invokeComponent(nc, 'mux', 'hdr', 'f', []);
    await invokeComponent(nc, 'mux', 'hdr', 'f', [], { sourceId: 'caller', linkName: 'other' });
    expect(seen[0]).toBeUndefined();
    expect(seen[1]).toMatchObject({ 'source-id': ['caller'], 'link-name': ['other'] });
    await nc.close();
  });
});
