/**
 * Guest worker, lattice calls served where the guest runs: the worker's own NATS connection (the host's RPC
 * credentials; the guest never sees it) subscribes, in queue group `{lattice}.{id}`, to `wasmbus.rpc.{lattice}.{id}.>`
 * of each component the main thread asks it to serve. Per call, as the main thread's responder did: decode and
 * validate (bad input gets a coded error reply, never ends the worker), refuse unknown operations, ask the policy
 * service through the main thread when one is set, admit under `max_instances` (admission.ts), open a span under the
 * caller's `traceparent`, run the call, reply (coded error headers on failure), and only then reset the instance.
 * Metrics, finished spans and failures go to the main thread in one `report` message per 100 ms.
 */
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { NatsConnectOptions } from '../../lattice/index.ts';
import type * as LatticeModule from '../../lattice/index.ts';
import { settleWithin } from '../../lattice/pure.ts';
import { hasExport } from './export-lookup.ts';
import { comps, loaded } from './worker-instances.ts';
import { post } from './worker-host-calls.ts';
import { isWitErrorOutcome } from './thread-outcome.ts';
import type { Outcome } from './thread-outcome.ts';
import { runCall } from './worker-call.ts';
import { SharedLimit, waitQueueFor } from './admission.ts';
import { admitShared } from './guest-budget.ts';
import type { Served, ToWorker } from './worker-protocol.ts';

type Lattice = typeof LatticeModule;
let lat: Lattice | undefined;
let conn: Promise<NatsConnection> | undefined;

interface Serving {
  sub: Subscription;
  running: number;
  idle: (() => void)[];
}
const serving = new Map<string, Serving>();
/** The latest `serve` of each component not undone by an `unserve` (one that arrives while the serve connects). */
const wanted = new Map<string, number>();
let serves = 0;
const limits = new Map<string, SharedLimit>();
/** The shared `max_instances` slots of `cid` (HTTP served in this worker takes them too: worker-http.ts). */
export const limitOf = (cid: string): SharedLimit | undefined => limits.get(cid);
const authorizing = new Map<number, (o: Outcome) => void>();
let report: Served[] = [];
let seq = 0;

let budget: Int32Array | undefined;
let budgetHolder = 0;
/** The host-wide guest budget (guest-budget.ts), shared with the main thread; `holder`: this worker's index. */
export function setBudget(view: Int32Array, holder: number): void {
  budget = view;
  budgetHolder = holder;
}
/** Admits a call of `cid` against the host-wide guest budget (HTTP served in this worker too); ends it when called. */
export const admitBudget = (cid: string): (() => void) =>
  budget ? admitShared(budget, cid, budgetHolder) : () => undefined;

/** The shared `max_instances` slots of a component (from its `start` message). */
export function setLimit(cid: string, sab: SharedArrayBuffer | undefined, holder = 0): void {
  if (sab) limits.set(cid, new SharedLimit(undefined, sab, holder));
  else limits.delete(cid);
}

async function connection(nats: NatsConnectOptions): Promise<NatsConnection> {
  lat ??= await import('../../lattice/index.ts');
  const l = lat;
  conn ??= l.connectNats({ ...nats, name: 'weft-host-worker', persistent: true });
  return conn;
}

/** Starts serving `cid` on the lattice; resolves once the server has the subscription (a caller may call at once). */
export async function serve(m: Extract<ToWorker, { t: 'serve' }>, nats: NatsConnectOptions, limitMs: number) {
  if (serving.has(m.cid)) return;
  const mine = ++serves;
  wanted.set(m.cid, mine);
  const nc = await connection(nats);
  // unserved (scaled to 0, stopped) or served again while the connection opened: this serve subscribes nothing
  if (wanted.get(m.cid) !== mine || serving.has(m.cid)) return;
  const l = lat as Lattice;
  const prefix = l.rpcSubject.invoke(m.lattice, m.cid, '');
  const s: Serving = { running: 0, idle: [], sub: undefined as unknown as Subscription };
  s.sub = nc.subscribe(l.rpcSubject.target(m.lattice, m.cid), {
    queue: l.rpcSubject.queue(m.lattice, m.cid),
    callback: (_err, msg) => {
      s.running++;
      void handle(l, m, msg, msg.subject.slice(prefix.length), limitMs).finally(() => {
        if (--s.running === 0) for (const w of s.idle.splice(0)) w();
      });
    },
  });
  serving.set(m.cid, s);
  await nc.flush();
}

/** Stops taking calls for `cid` and resolves once those in flight have answered (or after `timeoutMs`). */
export async function unserve(cid: string, timeoutMs = 10_000): Promise<void> {
  wanted.delete(cid);
  const s = serving.get(cid);
  if (!s) return;
  serving.delete(cid);
  await s.sub.drain().catch(() => s.sub.unsubscribe());
  if (s.running > 0) await settleWithin(new Promise<void>((r) => s.idle.push(r)), timeoutMs);
  // their replies go out at the end of the turn (`reply`): written and seen by the server before this resolves, so a
  // worker retired right after (worker-slot.ts `retireIdle`) loses none
  await new Promise((r) => setImmediate(r));
  await (await conn)?.flush().catch(() => undefined);
}

/** The main thread's policy decision for a call (asked with an `authorize` message). */
export function authorized(m: Extract<ToWorker, { t: 'authorized' }>): void {
  const done = authorizing.get(m.id);
  authorizing.delete(m.id);
  done?.(
    m.ok ? { ok: true, value: undefined } : { ok: false, code: m.code ?? 'HOST_REFUSED', message: m.message ?? '' },
  );
}

const fail = (code: string, message: string): Outcome => ({ ok: false, code, message });

async function handle(l: Lattice, m: Extract<ToWorker, { t: 'serve' }>, msg: Msg, op: string, limitMs: number) {
  const t0 = performance.now();
  const cid = m.cid;
  const parent = l.parseTraceparent(msg.headers?.get(l.RpcHeader.TraceParent));
  const ctx = l.childSpan(parent);
  const start = Date.now();
  let out: Outcome;
  let known = true;
  try {
    out = await call(l, m, msg, op, limitMs, ctx, () => (known = false));
  } catch (err) {
    const e = err as Error & { code?: unknown };
    out = fail(typeof e.code === 'string' ? e.code : 'HOST_INVOCATION', e.message ?? String(err));
  }
  const seconds = (performance.now() - t0) / 1000;
  const r: Served = { cid, op: op.slice(0, 200), seconds, ...(known ? {} : { unknown: true }) };
  if (!out.ok) Object.assign(r, { code: out.code, message: out.message.slice(0, 500) });
  if (m.spans && ctx.sampled) r.span = { traceId: ctx.traceId, spanId: ctx.spanId, parent: parent?.spanId, start };
  // a failure is in the host log before its caller has the reply; the rest goes in one message per 100 ms
  reportServed(r, !out.ok);
  if (msg.reply) reply(l, msg, out);
}

/**
 * Adds a call or request this worker served (lattice calls here, HTTP in worker-http.ts) to the next `report`,
 * posted within 100 ms, or now when `urgent`.
 */
export function reportServed(r: Served, urgent = false): void {
  report.push(r);
  if (urgent) flushReport();
  else if (report.length === 1) setTimeout(flushReport, 100);
}

/** Posts the calls served since the last report (also before a stats answer, so a scrape sees every answered call). */
export function flushReport(): void {
  if (report.length === 0) return;
  const served = report;
  report = [];
  post({ t: 'report', served });
}

async function call(
  l: Lattice,
  m: Extract<ToWorker, { t: 'serve' }>,
  msg: Msg,
  op: string,
  limitMs: number,
  ctx: { traceId: string; spanId: string; sampled: boolean },
  unknown: () => void,
): Promise<Outcome> {
  const cid = m.cid;
  const args = l.decodeRpc(msg.data) ?? [];
  if (!Array.isArray(args)) return fail('LAT_BAD_PAYLOAD', 'invocation payload must be a msgpack list of arguments');
  const c = comps.get(cid);
  const ld = c && loaded.get(c.digest);
  if (!c || !ld) return fail('COMP_NOT_RUNNING', `component ${cid} is not running on this host`);
  // refused before the policy service (a cache entry per name) and metrics (a label per name) see a caller's name
  if (!hasExport(ld, op)) {
    unknown();
    const exported = Object.keys(ld.meta.exports).filter(Boolean);
    return fail(
      'COMP_NO_SUCH_EXPORT',
      `${cid} does not export ${JSON.stringify(op.slice(0, 200))}; it exports ${exported.join(', ') || 'root functions only'}`,
    );
  }
  if (m.policy) {
    const id = ++seq;
    const decision = await new Promise<Outcome>((r) => {
      authorizing.set(id, r);
      post({ t: 'authorize', id, cid, op });
    });
    if (!decision.ok) return decision;
  }
  const deadline = Date.now() + limitMs;
  const end = admitBudget(cid);
  const limit = limits.get(cid);
  const taken = limit ? limit.take(cid, waitQueueFor(limit.limit), deadline) : Promise.resolve(() => undefined);
  const release = await taken.catch((err: unknown) => {
    end();
    throw err;
  });
  try {
    const trace = { traceparent: l.formatTraceparent(ctx as never), traceId: ctx.traceId };
    const run = (defer: (f: () => void) => void): Promise<Outcome> =>
      new Promise<Outcome>((finish) => void runCall(-++seq, cid, op, args, { deadline, finish, trace, defer }));
    if (ld.meta.jspi) return await run(afterReplies);
    return await inLane(cid, run);
  } finally {
    release();
    end();
  }
}

/**
 * Calls of a component without JSPI cannot overlap in one thread anyway: they run one after another, each on the
 * instance the last one left, reset at once when another waits (a hot 1 MiB image, not one per call in flight: the
 * reset of cold images was a third of a worker's time at 50 callers) and after the replies are written when not.
 */
const lanes = new Map<string, { tail: Promise<unknown>; waiting: number }>();
function inLane(cid: string, run: (defer: (f: () => void) => void) => Promise<Outcome>): Promise<Outcome> {
  let lane = lanes.get(cid);
  if (!lane) lanes.set(cid, (lane = { tail: Promise.resolve(), waiting: 0 }));
  const l = lane;
  l.waiting++;
  const mine = l.tail.then(() => {
    l.waiting--;
    return run((f) => (l.waiting > 0 ? f() : afterReplies(f)));
  });
  l.tail = mine.catch(() => undefined);
  return mine;
}

let replies: [Lattice, Msg, Outcome][] = [];
let later: (() => void)[] = [];
/** Runs `f` once the replies of this turn are written (nats.js writes them when the microtask checkpoint ends). */
function afterReplies(f: () => void): void {
  later.push(f);
}

/**
 * Replies go out together at the end of the event-loop turn (one socket write for the calls that ended in it, not
 * one each), and the instances are reset in the turn after, off the callers' latency.
 */
function reply(l: Lattice, msg: Msg, out: Outcome): void {
  if (replies.push([l, msg, out]) > 1) return;
  setImmediate(() => {
    const now = replies;
    replies = [];
    for (const [lm, m, o] of now) replyNow(lm, m, o);
    const resets = later;
    later = [];
    if (resets.length) setImmediate(() => resets.forEach((f) => f()));
  });
}

function replyNow(l: Lattice, msg: Msg, out: Outcome): void {
  try {
    if (out.ok) msg.respond(l.encodeRpc(out.value));
    else if (isWitErrorOutcome(out)) {
      const r = l.witErrorReply(out.value); // the export's result::err: lattice's one wire form of a WIT error value
      msg.respond(r.data, { headers: r.headers });
    } else msg.respond(new Uint8Array(), { headers: l.errorHeaders(out.code, out.message) });
  } catch (err) {
    // e.g. the result exceeds max_payload: tell the caller instead of leaving it to time out
    try {
      msg.respond(new Uint8Array(), {
        headers: l.errorHeaders('HOST_REPLY_TOO_LARGE', `cannot send the result: ${(err as Error).message}`),
      });
    } catch {
      // the connection is gone: the caller times out
    }
  }
}
