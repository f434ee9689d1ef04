import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceparent } from '../../lattice/index.ts';
import { SpanKind, Tracer } from './tracing.ts';

const silent = pino({ level: 'silent' });
const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

/** A collector on a free port: the OTLP JSON bodies it got, and the status it answers. */
async function collector(status = 200): Promise<{ url: string; bodies: unknown[]; paths: string[] }> {
  const bodies: unknown[] = [];
  const paths: string[] = [];
  const server = createServer((req, res) => {
    let b = '';
    req.on('data', (d: Buffer) => (b += d.toString()));
    req.on('end', () => {
      paths.push(req.url ?? '');
      bodies.push(JSON.parse(b));
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, paths };
}

type Exported = { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
const spansOf = (b: unknown) => (b as Exported).resourceSpans[0]!.scopeSpans[0]!.spans;

describe('tracer', () => {
  it('start - a child of the parent traceparent, a new trace without one', () => {
    const t = new Tracer({ resource: {}, logger: silent });
    const child = t.start('call', PARENT);
    expect(child.context.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(child.context.spanId).not.toBe('b7ad6b7169203331');
    expect(parseTraceparent(child.traceparent)?.traceId).toBe(child.context.traceId);
    const root = t.start('call', undefined);
    expect(root.context.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root.context.traceId).not.toBe(child.context.traceId);
  });

  it('flush - exports ended spans as OTLP JSON to {endpoint}/v1/traces, errors as status 2 with the code', async () => {
    const c = await collector();
    const t = new Tracer({ endpoint: `${c.url}/`, resource: { 'service.name': 'weft-host' }, logger: silent });
    t.start('ok-call', PARENT, { 'weft.component_id': 'adder' }).end();
    t.start('bad-call', PARENT, {}, SpanKind.Client).end({ code: 'COMP_TRAP', message: 'unreachable' });
    await t.flush();
    expect(c.paths).toEqual(['/v1/traces']);
    const [ok, bad] = spansOf(c.bodies[0]);
    expect(ok).toMatchObject({ name: 'ok-call', parentSpanId: 'b7ad6b7169203331', kind: 2, status: { code: 1 } });
    expect(bad).toMatchObject({ kind: 3, status: { code: 2, message: '[COMP_TRAP] unreachable' } });
    expect((bad as { attributes: unknown[] }).attributes).toContainEqual({
      key: 'error.type',
      value: { stringValue: 'COMP_TRAP' },
    });
  });

  it('flush - nothing is sent without an endpoint, for unsampled spans, or when no span ended', async () => {
    const c = await collector();
    const none = new Tracer({ resource: {}, logger: silent });
    none.start('x', PARENT).end();
    await none.flush();
    const t = new Tracer({ endpoint: `${c.url}/v1/traces`, resource: {}, logger: silent });
    const unsampled = formatTraceparent({ ...parseTraceparent(PARENT)!, sampled: false });
    t.start('x', unsampled).end();
    t.start('never-ended', PARENT);
    await t.flush();
    expect(c.bodies).toEqual([]);
  });

  it('flush - a refused or unreachable collector is logged, never thrown', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(l) });
    const c = await collector(500);
    const t = new Tracer({ endpoint: c.url, resource: {}, logger });
    t.start('x', PARENT).end();
    await expect(t.flush()).resolves.toBeUndefined();
    const gone = new Tracer({ endpoint: 'http://127.0.0.1:1', resource: {}, logger });
    gone.start('x', PARENT).end();
    await expect(gone.flush()).resolves.toBeUndefined();
    expect(lines.join('')).toMatch(/OTLP export refused[\s\S]*OTLP export failed/);
  });
});
