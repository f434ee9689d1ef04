/**
 * Guest worker thread: instantiates components from compiled core modules and the jco glue, keeps spare
 * instances, runs invocations (async ones suspend through JSPI) and forwards host-import calls to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DtsModule } from './dts-types.ts';
import { camel, dtsOf, findExport } from './export-lookup.ts';
import { fromJson, toJson } from './value-map.ts';
import { anyVersion, wasiImports } from './wasi-imports.ts';
import { httpHandlerOf, invokeHttp, isHttpHandle } from './http-invoke.ts';
import { ackedBodyQueue } from './http-request.ts';
import type { BodyQueue } from './http-request.ts';
import { busImports, keyvalueImports } from './capability-imports.ts';
import { outgoingHandlerImports } from './http-outgoing.ts';
import { secretsImports } from './secrets-imports.ts';
import { classify } from './guest-errors.ts';
import type { HttpRequestData } from './http-invoke.ts';
import type { ComponentMeta } from './transpile-cache.ts';
import type { ToWorker, FromWorker } from './worker-protocol.ts';
import { GLOBAL_EXPORT_PREFIX } from './export-globals.ts';
import { restoreImage } from './memory-image.ts';
import { DispatchCursor } from './worker-choice.ts';

interface Loaded {
  meta: ComponentMeta;
  dir: string;
  modules: Record<string, WebAssembly.Module>;
  instantiate: (
    get: (n: string) => WebAssembly.Module,
    imports: unknown,
    core?: (m: WebAssembly.Module, i: WebAssembly.Imports) => Promise<WebAssembly.Instance>,
  ) => unknown;
  dts: Map<string, DtsModule>;
  /** Linear memories right after the first instantiation (for resetting instances of import-less components). */
  pristine?: Uint8Array[];
}
/** Per-instance context: which invocation is running on it (to fail that call when a host import fails). */
interface InstanceCtx {
  inv: number;
  /** Link names set by `wasmcloud:bus/lattice.set-link-name` during the current invocation (interface → name). */
  linkNames?: Record<string, string>;
  /** Forgets the instance (it trapped, was abandoned or replaced). */
  drop?: () => void;
}
interface Instance {
  exports: Record<string, unknown>;
  ctx: InstanceCtx;
  /** Linear memories and their contents right after instantiation, for a reset instead of a re-instantiation. */
  snapshot?: { mem: WebAssembly.Memory; bytes: Uint8Array }[];
  /** Mutable globals (exported as `weft:global:N` at compile time) and their values right after instantiation. */
  globals?: { g: WebAssembly.Global; value: unknown }[];
  /** Times this instance was reset; it is replaced after {@link MAX_RESETS} (bounds JS-side handles a guest leaks). */
  resets: number;
  /** Its linear memories (for the memory-per-component metric). */
  memories: WebAssembly.Memory[];
}

const MAX_RESETS = 1000;

/**
 * Resets an instance to its just-instantiated state by restoring its linear memories and mutable globals, after a
 * call that returned cleanly (nothing suspended, every handle of the call dropped or left to the instance's JS
 * tables, which MAX_RESETS bounds); a memory that grew cannot be reset, and the instance is replaced instead.
 */
function reset(inst: Instance): boolean {
  if (!inst.snapshot) return false;
  for (const { mem, bytes } of inst.snapshot) if (mem.buffer.byteLength !== bytes.byteLength) return false;
  for (const { mem, bytes } of inst.snapshot) restoreImage(mem, bytes);
  for (const { g, value } of inst.globals ?? []) g.value = value;
  return true;
}
interface Comp {
  cid: string;
  digest: string;
  env: Record<string, string>;
  stateful: boolean;
  /** Every instance alive (spare, in use or kept), for the memory metric. */
  live: Set<Instance>;
  /** The one instance a stateful component keeps between calls. */
  sticky?: Promise<Instance>;
  spares: Promise<Instance>[];
  spareTarget: number;
}

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const loaded = new Map<string, Loaded>();
const comps = new Map<string, Comp>();
const pendingImports = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
let importSeq = 0;
const post = (m: FromWorker): void => port.postMessage(m);

/** Posts an invocation's outcome. */
const answer = (m: Extract<FromWorker, { t: 'result' }>): void => post(m);

/** Sends an import call to the main thread; a `$witErr` answer becomes a thrown WIT error value. */
function callHost(
  cid: string,
  ctx: InstanceCtx,
  iface: string,
  func: string,
  args: unknown[],
  map: (v: unknown) => unknown = (v) => v,
  soft = false,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const id = ++importSeq;
    const ok = (v: unknown): void => {
      const w = v as { $witErr?: unknown } | undefined;
      if (w && typeof w === 'object' && '$witErr' in w)
        reject(Object.assign(new Error(`WIT error ${JSON.stringify(w.$witErr)}`), { payload: w.$witErr }));
      else resolve(map(v));
    };
    // A failed import (no link, provider down) cannot be expressed to the guest, and jco's JSPI glue does not unwind
    // on it: fail the invocation now and abandon this suspended instance (it is never reused).
    // `soft` calls (an outgoing HTTP transfer, awaited by the shim and not by the guest's stack) reject instead.
    const fail = (e: unknown): void => {
      if (soft) return reject(e as Error);
      const err = e as Error & { code?: string };
      if (ctx.inv)
        answer({ t: 'result', id: ctx.inv, ok: false, code: err.code ?? 'COMP_IMPORT', message: err.message });
      ctx.inv = 0;
      ctx.drop?.();
    };
    pendingImports.set(id, { resolve: ok, reject: fail });
    post({ t: 'import', id, inv: ctx.inv, cid, iface, func, args, linkNames: ctx.linkNames });
  });
}

function hostImports(cid: string, l: Loaded, ctx: InstanceCtx): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (l.meta.hostImports.some((h) => h.iface.startsWith('wasi:keyvalue/'))) {
    Object.assign(
      out,
      keyvalueImports((iface, func, args) => callHost(cid, ctx, iface, func, args)),
    );
  }
  for (const { iface, funcs, file } of l.meta.hostImports) {
    if (iface.startsWith('wasi:keyvalue/')) continue;
    const obj: Record<string, unknown> = {};
    const dts = file ? dtsOf(l, file) : undefined;
    for (const f of funcs) {
      if (f.startsWith('[')) continue; // resources are served by capability shims
      const decl = dts?.funcs.get(camel(f));
      // the answer is plain JSON-like data: map it to what this guest's bindings expect
      const typed = (v: unknown): unknown => (decl && dts ? fromJson(v, decl.result, (n) => dts.types.get(n)) : v);
      obj[camel(f)] = (...args: unknown[]) => callHost(cid, ctx, iface, f, args.map(toJson), typed);
    }
    out[iface] = obj;
  }
  return out;
}

async function instantiate(c: Comp): Promise<Instance> {
  const l = loaded.get(c.digest);
  if (!l) throw Object.assign(new Error(`component ${c.digest} not loaded in worker`), { code: 'COMP_INSTANTIATE' });
  const ctx: InstanceCtx = { inv: 0 };
  const outgoing = await outgoingHandlerImports(
    (iface, func, args) => callHost(c.cid, ctx, iface, func, args),
    (iface, func, args) => callHost(c.cid, ctx, iface, func, args, undefined, true),
  );
  const base = {
    ...(await wasiImports(c.env, (stream, line) => post({ t: 'log', cid: c.cid, stream, line, inv: ctx.inv }))),
    ...outgoing,
    ...busImports(ctx),
    ...hostImports(c.cid, l, ctx),
    ...secretsImports((iface, func, args) => callHost(c.cid, ctx, iface, func, args)), // after hostImports: its resource
  };
  const imports = anyVersion(base);
  const memories: WebAssembly.Memory[] = [];
  const globals: WebAssembly.Global[] = [];
  const instantiateCore = async (m: WebAssembly.Module, i: WebAssembly.Imports): Promise<WebAssembly.Instance> => {
    const inst = await WebAssembly.instantiate(m, i);
    for (const [k, v] of Object.entries(inst.exports)) {
      if (v instanceof WebAssembly.Memory) memories.push(v);
      else if (v instanceof WebAssembly.Global && k.startsWith(GLOBAL_EXPORT_PREFIX)) globals.push(v);
    }
    return inst;
  };
  const exports = (await l.instantiate((n) => l.modules[n] as WebAssembly.Module, imports, instantiateCore)) as Record<
    string,
    unknown
  >;
  // every instance of a component starts from the same memory image: copy it once per worker and component
  l.pristine ??= memories.map((mem) => new Uint8Array(mem.buffer.slice(0)));
  const pristine = l.pristine;
  const snapshot =
    pristine && pristine.length === memories.length
      ? memories.map((mem, i) => ({ mem, bytes: pristine[i] as Uint8Array }))
      : undefined;
  const inst: Instance = {
    exports,
    ctx,
    snapshot,
    resets: 0,
    memories,
    globals: snapshot ? globals.map((g) => ({ g, value: g.value as unknown })) : undefined,
  };
  c.live.add(inst);
  ctx.drop = () => c.live.delete(inst);
  return inst;
}

function refill(c: Comp): void {
  while (c.spares.length < c.spareTarget) {
    const p = instantiate(c);
    p.catch(() => undefined);
    c.spares.push(p);
  }
}

/** After a clean return: reset the instance for the next caller (cheaper than a new one), else replace it. */
function recycle(c: Comp, instance: Instance, sticky: boolean): void {
  if (sticky) return;
  if (instance.snapshot && ++instance.resets <= MAX_RESETS && reset(instance))
    c.spares.unshift(Promise.resolve(instance));
  else {
    instance.ctx.drop?.();
    if (instance.snapshot) refill(c); // one without a snapshot was replaced when its call began
  }
}

/** Request bodies arriving in parts, per invocation. */
const bodies = new Map<number, BodyQueue>();

function bodyQueue(id: number): BodyQueue {
  const q = ackedBodyQueue((consumed) => post({ t: 'httpBodyAck', id, consumed }));
  bodies.set(id, q);
  return q;
}

async function invoke(
  id: number,
  cid: string,
  op: string,
  args: unknown[],
  stream = false,
  body?: BodyQueue,
): Promise<void> {
  const c = comps.get(cid);
  const l = c && loaded.get(c.digest);
  if (!c || !l)
    return answer({ t: 'result', id, ok: false, code: 'COMP_NOT_RUNNING', message: `component ${cid} is not running` });
  let instance: Instance | undefined;
  // wasi:http's contract is one request per instance (as in `wasmtime serve` and Spin; StarlingMonkey handlers do
  // not answer a second request), so HTTP requests get a fresh or reset instance even on a stateful component
  const sticky = c.stateful && !isHttpHandle(op);
  try {
    instance = await (sticky ? (c.sticky ??= instantiate(c)) : (c.spares.shift() ?? instantiate(c)));
    instance.ctx.inv = id;
    instance.ctx.linkNames = undefined; // link names last one invocation
    if (!sticky && !instance.snapshot) refill(c);
    if (isHttpHandle(op)) {
      const handler = httpHandlerOf(instance.exports);
      const sink = stream
        ? {
            head: (status: number, headers: [string, string][]) => post({ t: 'httpHead', id, status, headers }),
            chunk: (chunk: Uint8Array) => post({ t: 'httpChunk', id, chunk }),
          }
        : undefined;
      answer({
        t: 'result',
        id,
        ok: true,
        value: await invokeHttp(handler, args[0] as HttpRequestData, { sink, body }),
      });
      return recycle(c, instance, sticky);
    }
    const { fn, decl, dts } = findExport(l, instance.exports, op);
    if (args.length !== decl.params.length)
      throw Object.assign(
        new Error(
          `${op} takes ${decl.params.length} argument(s) (${decl.params.map((p) => p.name).join(', ')}), got ${args.length}`,
        ),
        { code: 'COMP_BAD_ARGUMENTS' },
      );
    const lookup = (n: string) => dts.types.get(n);
    const jsArgs = decl.params.map((p, i) => fromJson(args[i], p.type, lookup, p.name));
    const value = toJson(await fn(...jsArgs));
    answer({ t: 'result', id, ok: true, value });
    recycle(c, instance, sticky);
  } catch (err) {
    // a trapped instance is never reused
    instance?.ctx.drop?.();
    if (sticky) c.sticky = undefined;
    else if (instance?.snapshot) refill(c);
    answer({ t: 'result', id, ok: false, ...classify(err) });
  }
}

// The heartbeat tells the main thread this worker's event loop runs (idle, or waiting on imports), unlike one stuck
// in a guest that does not yield; the cursor says which calls posted here it may still start (worker-choice.ts).
const shared = workerData as { beat: SharedArrayBuffer; cursor: SharedArrayBuffer };
const beat = new Float64Array(shared.beat);
const cursor = new DispatchCursor(shared.cursor);
setInterval(() => (beat[0] = Date.now()), 20).unref();

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

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'load':
      void (async () => {
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
      })();
      break;
    case 'start': {
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
      refill(c);
      void Promise.all(c.spares).then(
        () => post({ t: 'started', id: m.id, ok: true }),
        (err: unknown) => post({ t: 'started', id: m.id, ok: false, message: classify(err).message }),
      );
      break;
    }
    case 'stop':
      comps.delete(m.cid);
      break;
    case 'stats': {
      const value: Record<string, { instances: number; memoryBytes: number }> = {};
      for (const [cid, c] of comps) {
        let bytes = 0;
        for (const i of c.live) for (const mem of i.memories) bytes += mem.buffer.byteLength;
        value[cid] = { instances: c.live.size, memoryBytes: bytes };
      }
      post({ t: 'stats', id: m.id, ok: true, value });
      break;
    }
    case 'invoke':
      if (!cursor.claim(m.n)) break; // taken back by the main thread, which runs it in another worker
      void invoke(m.id, m.cid, m.op, m.args, m.stream, m.bodyStream ? bodyQueue(m.id) : undefined).finally(() =>
        bodies.delete(m.id),
      );
      break;
    case 'httpBody':
      bodies.get(m.id)?.push(m.chunk);
      break;
    case 'httpBodyEnd':
      bodies.get(m.id)?.end(m.error);
      break;
    case 'importResult': {
      const p = pendingImports.get(m.id);
      pendingImports.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(Object.assign(new Error(m.message), { code: m.code }));
      break;
    }
  }
});
