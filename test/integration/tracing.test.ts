import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNatsServer } from '../../lattice/index.ts';
import {
  NatsServer,
  actorRef,
  assertScaleComponent,
  check,
  latticeFor,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  status: { code: number; message?: string };
  attributes: { key: string; value: { stringValue: string } }[];
}

/** A minimal OTLP/HTTP JSON receiver: collects the spans POSTed to /v1/traces. */
async function otlpReceiver(): Promise<{ url: string; spans: OtlpSpan[]; close: () => void }> {
  const spans: OtlpSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces' && req.headers['content-type'] === 'application/json') {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as {
          resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
        };
        for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, close: () => server.close() };
}

let ns: RunningNatsServer;
const refs: Record<string, string> = {};
beforeAll(async () => {
  ns = await NatsServer.start();
  for (const a of ['greeter', 'greeter-caller']) refs[a] = await actorRef(a);
}, 180_000);
afterAll(async () => {
  await ns?.stop();
});

describe('tracing', () => {
  it("trace context - a call from host A to host B continues the caller's trace; spans reach an OTLP endpoint", async () => {
    const otlp = await otlpReceiver();
    const lattice = latticeFor('trace');
    const a = await startTestHost(ns.url, { lattice, otlpEndpoint: otlp.url });
    const b = await startTestHost(ns.url, { lattice, otlpEndpoint: `${otlp.url}/v1/traces` });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, {
      host_id: a.id,
      component_ref: refs['greeter-caller']!,
      component_id: 'caller',
      count: 1,
    });
    await assertScaleComponent(ctl, {
      host_id: b.id,
      component_ref: refs['greeter']!,
      component_id: 'greeter',
      count: 1,
    });
    await ctl.putLink({
      source_id: 'caller',
      target: 'greeter',
      name: 'default',
      wit_namespace: 'weft',
      wit_package: 'actors',
      interfaces: ['greeter'],
      source_config: [],
      target_config: [],
    });
    await check(() => a.links.lookup('caller', 'default', 'weft:actors/greeter')?.target === 'greeter');
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = '00f067aa0ba902b7';
    expect(
      await ctl.invoke('caller', 'call-greeter', ['tia'], {
        traceparent: `00-${traceId}-${parent}-01`,
      }),
    ).toBe('hello, tia! (via greeter-caller)');
    const spans = await check(() => {
      const mine = otlp.spans.filter((s) => s.traceId === traceId);
      return mine.length >= 2 ? mine : undefined;
    }, 10_000);
    const callerSpan = spans.find((s) => s.name === 'caller call-greeter');
    const greeterSpan = spans.find((s) => s.name.startsWith('greeter weft:actors/greeter'));
    expect(callerSpan?.parentSpanId).toBe(parent);
    expect(greeterSpan?.parentSpanId).toBe(callerSpan?.spanId);
    expect(greeterSpan?.attributes).toContainEqual({ key: 'weft.host_id', value: { stringValue: b.id } });
    expect(callerSpan?.status.code).toBe(1);
    // a failed call is a span with an error status and its code; without a traceparent a new trace starts
    await expect(ctl.invoke('caller', 'no-such-function', [])).rejects.toMatchObject({
      code: 'COMP_NO_SUCH_EXPORT',
    });
    const failed = await check(() => otlp.spans.find((s) => s.name === 'caller no-such-function'), 10_000);
    expect(failed.traceId).not.toBe(traceId);
    expect(failed.status).toMatchObject({ code: 2, message: expect.stringContaining('COMP_NO_SUCH_EXPORT') });
    await Promise.all([a.stop(), b.stop()]);
    otlp.close();
  });
});
