/**
 * Guest worker thread, its message loop: loads compiled components (worker-instances.ts), runs the calls the main
 * thread posts (worker-call.ts) and serves the lattice calls of its components itself (worker-lattice.ts); host
 * imports go to the main thread (worker-host-calls.ts).
 */
import { flushCompileCache } from 'node:module';
import { workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NatsConnectOptions } from '../../lattice/index.ts';
import { ackedBodyQueue } from './http-request.ts';
import type { BodyQueue } from './http-request.ts';
import { classify } from './guest-errors.ts';
import './worker-http.ts';
import type { ToWorker } from './worker-protocol.ts';
import { DispatchCursor } from './worker-choice.ts';
import { compStats, comps, loaded, refill } from './worker-instances.ts';
import type { Comp, Loaded } from './worker-instances.ts';
import { importResult, post, shareDeadline, shareInstantiateDeadline, shareSafeFlag } from './worker-host-calls.ts';
import { runCall, sweep } from './worker-call.ts';
import { authorized, flushReport, serve, setBudget, setLimit, unserve } from './worker-lattice.ts';
import { parentPort } from 'node:worker_threads';

/** Request bodies arriving in parts, per invocation. */
const bodies = new Map<number, BodyQueue>();

function bodyQueue(id: number): BodyQueue {
  const q = ackedBodyQueue((consumed) => post({ t: 'httpBodyAck', id, consumed }));
  bodies.set(id, q);
  return q;
}

// The heartbeat tells the main thread this worker's event loop runs (idle, or waiting on imports), unlike one stuck
// in a guest that does not yield; the cursor says which calls posted here it may still start (worker-choice.ts);
// the earliest deadline of its calls tells the main thread's watchdog when a guest that does not yield must stop.
const shared = workerData as {
  beat: SharedArrayBuffer;
  cursor: SharedArrayBuffer;
  limitMs: number;
  nats?: NatsConnectOptions;
  budget?: SharedArrayBuffer;
  /** This worker's index among the holders of `max_instances` slots (admission.ts). */
  holder: number;
  /** How long one instantiation may take before the watchdog replaces this worker. */
  instantiateMs: number;
};
const beat = new Float64Array(shared.beat);
const cursor = new DispatchCursor(shared.cursor);
shareDeadline(new Float64Array(shared.beat, 8, 1));
shareInstantiateDeadline(new Float64Array(shared.beat, 24, 1), shared.instantiateMs);
if (shared.budget) setBudget(new Int32Array(shared.budget), shared.holder);
shareSafeFlag(new Float64Array(shared.beat, 16, 1));
const SWEEP_MS = 20;
setInterval(() => {
  const now = Date.now();
  const blocked = now - (beat[0] ?? now) - SWEEP_MS;
  beat[0] = now;
  sweep(now, blocked > 50 ? blocked : 0);
}, SWEEP_MS).unref();

// A guest's stray async error (e.g. a WASI shim callback after its call ended) must not take the worker and every
// other guest on it down: report it in the host log instead.
process.on('uncaughtException', (err) =>
  post({ t: 'log', cid: '(worker)', stream: 'stderr', line: `uncaught: ${String(err?.stack ?? err)}` }),
);
process.on('unhandledRejection', (err) =>
  post({
    t: 'log',
    cid: '(worker)',
    stream: 'stderr',
    line: `unhandled rejection: ${String((err as Error)?.stack ?? err)}`,
  }),
);

async function load(m: Extract<ToWorker, { t: 'load' }>): Promise<void> {
  try {
    const mod = (await import(pathToFileURL(join(m.dir, 'component.js')).href)) as {
      instantiate: Loaded['instantiate'];
    };
    loaded.set(m.digest, {
      meta: m.meta,
      dir: m.dir,
      modules: m.modules,
      instantiate: mod.instantiate,
      dts: new Map(),
    });
    post({ t: 'loaded', id: m.id, ok: true });
  } catch (err) {
    post({ t: 'loaded', id: m.id, ok: false, message: String((err as Error).message) });
  }
}

function start(m: Extract<ToWorker, { t: 'start' }>): void {
  const c: Comp = {
    cid: m.cid,
    digest: m.digest,
    env: m.env,
    stateful: m.stateful,
    spares: [],
    spareTarget: m.spares,
    live: new Set(),
  };
  comps.set(m.cid, c);
  setLimit(m.cid, m.limit, shared.holder);
  refill(c);
  void Promise.all(c.spares).then(
    () => post({ t: 'started', id: m.id, ok: true }),
    (err: unknown) => post({ t: 'started', id: m.id, ok: false, message: classify(err).message }),
  );
}

function serveLattice(m: Extract<ToWorker, { t: 'serve' }>): void {
  if (!shared.nats) return post({ t: 'done', id: m.id, ok: false, message: 'this worker has no NATS options' });
  serve(m, shared.nats, shared.limitMs).then(
    () => post({ t: 'done', id: m.id, ok: true }),
    (err: unknown) => post({ t: 'done', id: m.id, ok: false, message: (err as Error).message }),
  );
}

function invoke(m: Extract<ToWorker, { t: 'invoke' }>): void {
  if (!cursor.claim(m.n)) return; // taken back by the main thread, which runs it in another worker
  const id = m.id;
  const sink = m.stream
    ? {
        head: (status: number, headers: [string, string][]) => post({ t: 'httpHead', id, status, headers }),
        chunk: (chunk: Uint8Array) => post({ t: 'httpChunk', id, chunk }),
      }
    : undefined;
  void runCall(id, m.cid, m.op, m.args, {
    deadline: Date.now() + shared.limitMs,
    finish: (o) => post({ t: 'result', id, ...o }),
    sink,
    body: m.bodyStream ? bodyQueue(id) : undefined,
  }).finally(() => bodies.delete(id));
}

parentPort?.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'load':
      return void load(m);
    case 'start':
      return start(m);
    case 'stop':
      comps.delete(m.cid);
      return setLimit(m.cid, undefined);
    case 'serve':
      return serveLattice(m);
    case 'unserve':
      return void unserve(m.cid).then(() => post({ t: 'done', id: m.id, ok: true }));
    case 'authorized':
      return authorized(m);
    case 'stopped':
      return sweep(Date.now(), 0, true); // the main thread terminated a guest that did not yield: fail its call
    case 'stats':
      flushReport();
      return post({ t: 'stats', id: m.id, ok: true, value: compStats() });
    case 'invoke':
      return invoke(m);
    case 'httpBody':
      return bodies.get(m.id)?.push(m.chunk);
    case 'httpBodyEnd':
      return bodies.get(m.id)?.end(m.error);
    case 'importResult':
      return importResult(m);
  }
});

// every module of the worker is loaded: write their compile cache entries now (worker-slot.ts turns the cache on),
// not only at exit, so that the next start of a host killed without stopping still loads them unstripped
flushCompileCache?.();
