/**
 * Guest worker, its side of the thread boundary: messages to the main thread, the calls in flight in this worker
 * (each ends once, by `settle`), and guest calls to host imports, served on the main thread.
 */
import { MessageChannel, parentPort } from 'node:worker_threads';
import { INSTANTIATE_TIMEOUT_MS } from './worker-protocol.ts';
import type { CallTrace, FromWorker, ToWorker } from './worker-protocol.ts';
import { guestResultErr, isWitErrorOutcome } from './thread-outcome.ts';
import type { Failure, Outcome } from './thread-outcome.ts';

export type { CallTrace, Outcome };

/** Per-instance context: which invocation is running on it (to fail that call when a host import fails). */
export interface InstanceCtx {
  inv: number;
  /** Link names set by `wasmcloud:bus/lattice.set-link-name` during the current invocation (interface → name). */
  linkNames?: Record<string, string>;
  /** Of a call served by this worker itself (a lattice call): the main thread has no record of it. */
  trace?: CallTrace;
  /** Forgets the instance (it trapped, was abandoned or replaced). */
  drop?: () => void;
}

const port = parentPort;
if (!port) throw new Error('the guest worker modules must run in a worker thread');
export const post = (m: FromWorker): void => port.postMessage(m);

/** A call in flight in this worker: ended once, by {@link settle} (its result, a failed import or its deadline). */
export interface InFlight {
  cid: string;
  /** Wall-clock ms past which the call fails with COMP_TIMEOUT and its instance is dropped. */
  deadline: number;
  finish: (o: Outcome) => void;
  /** The instance it runs on, once it has one (dropped when the call is abandoned). */
  ctx?: InstanceCtx;
}
export const inflight = new Map<number, InFlight>();

/** The earliest of `items`' deadlines (0: none), as the watchdog reads it from a shared slot. */
function earliest(items: Iterable<{ deadline: number }>): number {
  let min = 0;
  for (const { deadline } of items) if (!min || deadline < min) min = deadline;
  return min;
}

/**
 * Instantiations under way, each with its deadline: an instantiation runs guest code outside any call (a core
 * module's start function, a component's initialisation), and one that never yields must also reach the watchdog.
 */
const instantiating = new Set<{ deadline: number }>();
/** How long one instantiation may take (ComponentRuntime's `instantiateTimeoutMs`). */
let instantiateLimitMs = INSTANTIATE_TIMEOUT_MS;
/** [0]: the earliest deadline of the instantiations under way (0: none), shared with the main thread's watchdog. */
let instantiateDeadline: Float64Array | undefined;
export function shareInstantiateDeadline(view: Float64Array, limitMs: number): void {
  instantiateDeadline = view;
  instantiateLimitMs = limitMs;
}
function noteInstantiations(): void {
  if (instantiateDeadline) instantiateDeadline[0] = earliest(instantiating);
}

/**
 * Runs `f` (an instantiation) under its deadline: a start function that loops past it, where no call's guest code
 * runs, gets its worker replaced by the watchdog (guest-stop.ts).
 */
export async function underInstantiateDeadline<T>(f: () => Promise<T>): Promise<T> {
  const guard = { deadline: Date.now() + instantiateLimitMs };
  instantiating.add(guard);
  noteInstantiations();
  try {
    return await f();
  } finally {
    instantiating.delete(guard);
    noteInstantiations();
  }
}

/** The earliest deadline of the calls in flight (shared with the main thread's watchdog). */
let deadlines: Float64Array | undefined;
export function shareDeadline(view: Float64Array): void {
  deadlines = view;
}
/** Recomputes the earliest deadline (after a call ended). */
export function noteDeadline(): void {
  if (deadlines) deadlines[0] = earliest(inflight.values());
}
/** A call with this deadline began. */
export function noteEarlier(deadline: number): void {
  if (deadlines && (!deadlines[0] || deadline < deadlines[0])) deadlines[0] = deadline;
}

/**
 * The call whose guest code runs right now (0: none): set when a call enters its guest and when an import it awaited
 * answers, cleared when the guest returns or calls out. A guest terminated by the watchdog unwinds without running
 * any `finally`, so this still names it afterwards: that call fails, the others it held up do not.
 */
export const running = { inv: 0 };
/** [0] = 1 while a guest entered through {@link enterSafely} runs: the watchdog may terminate it (guest-stop.ts). */
let safeFlag: Float64Array | undefined;
export function shareSafeFlag(view: Float64Array): void {
  safeFlag = view;
}
export function setRunning(inv: number): void {
  running.inv = inv;
  if (safeFlag) safeFlag[0] = inv ? 1 : 0;
}

// Guest code is entered (and resumed after a host import) from a MessagePort callback of its own: the watchdog's
// termination unwinds such a callback cleanly, and no other call's microtasks are queued behind the guest (V8 drops
// those). Terminating inside a setImmediate or timer callback instead corrupts Node's async-hook stack and aborts
// the process (measured), so a guest running anywhere else is not terminated: its worker is replaced.
const entries = new Map<number, () => void>();
let entrySeq = 0;
const channel = new MessageChannel();
channel.port2.on('message', (n: number) => {
  const f = entries.get(n);
  entries.delete(n);
  f?.();
});
channel.port2.unref();

/** Runs `f` (which enters guest code for call `inv`) from a callback of its own, marked as safe to terminate. */
export function enterSafely(inv: number, f: () => void): void {
  const n = ++entrySeq;
  entries.set(n, () => {
    setRunning(inv);
    try {
      f();
    } finally {
      setRunning(0);
    }
  });
  channel.port1.postMessage(n);
}

/** Ends call `inv` with `o` unless it has ended; true when this ended it. */
export function settle(inv: number, o: Outcome): boolean {
  const c = inflight.get(inv);
  if (!c) return false;
  inflight.delete(inv);
  c.finish(o);
  return true;
}

const pendingImports = new Map<number, (a: Outcome) => void>();
let importSeq = 0;

/** Sends an import call to the main thread; a WIT error value answered becomes the err of the guest's result. */
export function callHost(
  cid: string,
  ctx: InstanceCtx,
  iface: string,
  func: string,
  args: unknown[],
  map: (v: unknown) => unknown = (v) => v,
  soft = false,
): Promise<unknown> {
  setRunning(0); // the guest calls out (and suspends, if async)
  return new Promise((resolve, reject) => {
    const id = ++importSeq;
    pendingImports.set(id, (a) => {
      // a value or a WIT error value: its guest resumes from a callback of its own, as it started (enterSafely)
      if (a.ok) return enterSafely(ctx.inv, () => resolve(map(a.value)));
      if (isWitErrorOutcome(a)) return enterSafely(ctx.inv, () => reject(guestResultErr(a.value)));
      // A failed import (no link, provider down) cannot be expressed to the guest, and jco's JSPI glue does not
      // unwind on it: fail the invocation now and abandon this suspended instance (it is never reused).
      // `soft` calls (an outgoing HTTP transfer, awaited by the shim and not by the guest's stack) reject instead.
      if (soft) return reject(Object.assign(new Error(a.message), { code: a.code }));
      if (ctx.inv) settle(ctx.inv, { ok: false, code: a.code || 'COMP_IMPORT', message: a.message });
      ctx.inv = 0;
      ctx.drop?.();
    });
    post({ t: 'import', id, inv: ctx.inv, cid, iface, func, args, linkNames: ctx.linkNames, trace: ctx.trace });
  });
}

/** The main thread's answer to an import call. */
export function importResult(m: Extract<ToWorker, { t: 'importResult' }>): void {
  const done = pendingImports.get(m.id);
  pendingImports.delete(m.id);
  const failure: Failure = { ok: false, code: m.code ?? 'COMP_IMPORT', message: m.message ?? '', value: m.value };
  done?.(m.ok ? { ok: true, value: m.value } : failure);
}
