/**
 * Guest worker, HTTP served where the guest runs: the http-server's worker half (a module the provider names) is
 * imported here and listens on the link's address itself (SO_REUSEPORT); each request goes straight into an
 * instance of this worker through `handleHttp` (admission under `max_instances`, the link's `timeout_ms` as its
 * deadline within the host's execution limit, a span under the caller's `traceparent`), and is reported with the
 * worker's lattice calls (`reportServed`: metrics, spans). A request for a component this worker does not run is
 * passed on to the main thread whole.
 */
import { parentPort } from 'node:worker_threads';
import type * as LatticeModule from '../../lattice/index.ts';
import type { MessagePort } from 'node:worker_threads';
import type { HttpAnswer, HttpHandler, WorkerHttpEnv, WorkerListener } from '../../lattice/index.ts';
import { BodyQueue } from './http-request.ts';
import { comps } from './worker-instances.ts';
import { runCall } from './worker-call.ts';
import { admitBudget, limitOf, reportServed } from './worker-lattice.ts';
import { waitQueueFor } from './admission.ts';
import { answerOf } from './worker-http-answer.ts';
import type { HttpFromWorker, HttpPortMessage, HttpToWorker } from './worker-http-protocol.ts';
import type { Served } from './worker-protocol.ts';

type Lattice = typeof LatticeModule;
const HANDLE = 'wasi:http/incoming-handler.handle';
/** Bytes of a request body queued ahead of the guest's reads; past it, reading from the client pauses (TCP backpressure). */
const WINDOW = 1024 * 1024;
/** The largest body passed on to the main thread (a component on another host takes at most NATS max_payload). */
const MAX_RELAY_BODY = 16 * 1024 * 1024;

let port: MessagePort | undefined;
let limitMs = 600_000;
let lat: Lattice | undefined;
const listeners = new Map<string, Promise<WorkerListener>>();
const relays = new Map<number, { resolve: (a: HttpAnswer) => void; reject: (e: Error) => void }>();
let seq = 0;

const send = (m: HttpFromWorker): void => port?.postMessage(m);

parentPort?.on('message', (m: { t?: string }) => {
  if (m?.t !== 'httpPort') return;
  const p = m as unknown as HttpPortMessage & { port: MessagePort };
  limitMs = p.limitMs;
  port = p.port;
  port.on('message', (msg: HttpToWorker) => void onMessage(msg));
});

async function onMessage(m: HttpToWorker): Promise<void> {
  if (m.k === 'relayed') return relayed(m);
  try {
    if (m.k === 'listen') await listen(m.address, m.spec, m.module);
    else await close(m.address);
    send({ k: 'done', id: m.id, ok: true });
  } catch (err) {
    const e = err as Error & { code?: string };
    send({ k: 'done', id: m.id, ok: false, code: e.code, message: e.message });
  }
}

async function listen(address: string, spec: unknown, module: string): Promise<void> {
  const cur = listeners.get(address);
  if (cur) return (await cur).update(spec);
  lat ??= await import('../../lattice/index.ts');
  const mod = (await import(module)) as {
    listen: (address: string, spec: unknown, env: WorkerHttpEnv) => Promise<WorkerListener>;
  };
  const env: WorkerHttpEnv = {
    handleHttp: (target, head, body, o) =>
      comps.has(target) ? local(target, head, body, o) : relay(address)(target, head, body, o),
    log: (level, obj, msg) => send({ k: 'log', address, level, obj, msg }),
  };
  const l = mod.listen(address, spec, env);
  listeners.set(address, l);
  await l.catch((err: unknown) => {
    listeners.delete(address);
    throw err;
  });
}

async function close(address: string): Promise<void> {
  const l = listeners.get(address);
  listeners.delete(address);
  await (await l?.catch(() => undefined))?.close();
}

/** In an instance of this worker: admitted, within the link's `timeout_ms` and the host's execution limit, reported. */
const local: HttpHandler = async (target, head, body, o) => {
  const l = lat as Lattice;
  const t0 = performance.now();
  const start = Date.now();
  // the handler is stopped at the link's timeout_ms (its client has had its 504 then), never past the host's limit
  const deadline = start + Math.min(limitMs, o.timeoutMs ?? limitMs);
  const parent = l.parseTraceparent(o.traceparent);
  const ctx = l.childSpan(parent);
  const served = (code?: string, message?: string): void => {
    const r: Served = { cid: target, op: HANDLE, seconds: (performance.now() - t0) / 1000 };
    if (code) Object.assign(r, { code, message: message?.slice(0, 500) });
    if (ctx.sampled) r.span = { traceId: ctx.traceId, spanId: ctx.spanId, parent: parent?.spanId, start };
    reportServed(r);
  };
  const limit = limitOf(target);
  let endBudget = (): void => undefined;
  let release = (): void => undefined;
  try {
    // the host-wide guest budget (calls, memory), then the component's max_instances; a call waits for an instance
    // no longer than its client does (the link's timeout_ms)
    endBudget = admitBudget(target);
    if (limit) release = await limit.take(target, waitQueueFor(limit.limit), deadline);
  } catch (err) {
    endBudget();
    const e = err as Error & { code?: string };
    served(e.code, e.message);
    throw err;
  }
  const q = new BodyQueue();
  const stop = body ? pump(body, q) : (q.end(), () => undefined);
  const a = answerOf();
  const trace = { traceparent: l.formatTraceparent(ctx), traceId: ctx.traceId };
  void runCall(-(2 ** 40) - ++seq, target, HANDLE, [head], {
    deadline,
    trace,
    sink: a.sink,
    body: q,
    finish: (out) => {
      release();
      endBudget();
      stop();
      if (out.ok) served();
      else served(out.code, out.message);
      a.finish(out);
    },
  });
  return a.answer;
};

/** Feeds a request body to the guest, at most {@link WINDOW} bytes ahead of its reads; the returned stop ends it. */
function pump(src: AsyncIterable<Uint8Array>, q: BodyQueue): () => void {
  let stopped = false;
  let wake: (() => void) | undefined;
  q.onRead = () => wake?.();
  void (async () => {
    let sent = 0;
    try {
      for await (const c of src) {
        if (stopped) return;
        q.push(c);
        sent += c.byteLength;
        while (!stopped && sent - q.consumed > WINDOW) await new Promise<void>((r) => (wake = r));
      }
      q.end();
    } catch (err) {
      q.end((err as Error).message || 'the request body broke off');
    }
  })();
  return () => {
    stopped = true;
    wake?.();
  };
}

/** Passes a request on to the main thread (the provider's relay): its body collected, its answer whole. */
const relay =
  (address: string): HttpHandler =>
  async (target, head, body, o) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const c of body ?? []) {
      size += c.byteLength;
      if (size > MAX_RELAY_BODY)
        throw Object.assign(
          new Error(
            `the request body is over ${MAX_RELAY_BODY} bytes, the most passed on for a component not in this worker`,
          ),
          { code: 'HOST_BODY_TOO_LARGE' },
        );
      chunks.push(c);
    }
    const bytes = body ? (lat as Lattice).concatBytes(chunks) : undefined;
    const rid = ++seq;
    return new Promise<HttpAnswer>((resolve, reject) => {
      relays.set(rid, { resolve, reject });
      send({ k: 'relay', rid, address, target, head, body: bytes, timeoutMs: o.timeoutMs, traceparent: o.traceparent });
    });
  };

function relayed(m: Extract<HttpToWorker, { k: 'relayed' }>): void {
  const r = relays.get(m.rid);
  relays.delete(m.rid);
  if (!r) return;
  if (m.ok) r.resolve({ status: m.status ?? 500, headers: m.headers ?? [], body: m.body ?? new Uint8Array(0) });
  else r.reject(Object.assign(new Error(m.message ?? 'failed'), { code: m.code }));
}
