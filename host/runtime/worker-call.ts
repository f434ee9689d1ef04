/**
 * Guest worker, one call: takes an instance (a spare, the kept one of a stateful component, or a new one), runs the
 * export (or the HTTP handler), ends the call once through `settle`, then resets the instance for the next caller,
 * or drops it after a trap, a failed import or a deadline. Calls past their deadline are swept every 20 ms.
 */
import { findExport } from './export-lookup.ts';
import { fromJson, toJson } from './value-map.ts';
import { httpHandlerOf, invokeHttp, isHttpHandle } from './http-invoke.ts';
import type { HttpSink } from '../../lattice/index.ts';
import type { HttpRequestData } from './http-invoke.ts';
import type { BodyQueue } from './http-request.ts';
import { ComponentError, ComponentErrorCode } from './errors.ts';
import { classify } from './guest-errors.ts';
import { comps, instantiate, loaded, recycle, refill } from './worker-instances.ts';
import type { Instance } from './worker-instances.ts';
import { enterSafely, inflight, noteDeadline, noteEarlier, running, setRunning, settle } from './worker-host-calls.ts';
import type { CallTrace, Outcome } from './worker-host-calls.ts';

/** What a call brings besides its name and arguments. */
export interface CallOptions {
  deadline: number;
  finish: (o: Outcome) => void;
  trace?: CallTrace;
  /** An HTTP handler's response streams here (else it is held and returned). */
  sink?: HttpSink;
  body?: BodyQueue;
  /** Runs the instance's reset later (after the NATS reply is written, not before it: worker-lattice.ts). */
  defer?: (f: () => void) => void;
}

/** Enters a guest (see `enterSafely`); resolves with what the export returned. */
function enterGuest<T>(inv: number, f: () => T | Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    enterSafely(inv, () => {
      try {
        resolve(f());
      } catch (err) {
        reject(err as Error);
      }
    }),
  );
}

export async function runCall(inv: number, cid: string, op: string, args: unknown[], o: CallOptions): Promise<void> {
  inflight.set(inv, { cid, deadline: o.deadline, finish: o.finish });
  noteEarlier(o.deadline);
  const c = comps.get(cid);
  const l = c && loaded.get(c.digest);
  if (!c || !l)
    return void settle(inv, { ok: false, code: 'COMP_NOT_RUNNING', message: `component ${cid} is not running` });
  let instance: Instance | undefined;
  // wasi:http's contract is one request per instance (as in `wasmtime serve` and Spin; StarlingMonkey handlers do
  // not answer a second request), so HTTP requests get a fresh or reset instance even on a stateful component
  const http = isHttpHandle(op);
  const sticky = c.stateful && !http;
  try {
    instance = await (sticky ? (c.sticky ??= instantiate(c)) : (c.spares.shift() ?? instantiate(c)));
    const call = inflight.get(inv);
    if (!call) return void (sticky ? undefined : recycle(c, instance, false)); // ended while it waited
    call.ctx = instance.ctx;
    instance.ctx.inv = inv;
    instance.ctx.linkNames = undefined; // link names last one invocation
    instance.ctx.trace = o.trace;
    if (!sticky && !instance.snapshot) refill(c);
    let value: unknown;
    if (http) {
      const handler = httpHandlerOf(instance.exports);
      value = await enterGuest(inv, () =>
        invokeHttp(handler, args[0] as HttpRequestData, { sink: o.sink, body: o.body }),
      );
    } else {
      const { fn, decl, dts } = findExport(l, instance.exports, op);
      if (args.length !== decl.params.length)
        throw new ComponentError(
          ComponentErrorCode.BadArguments,
          `${op} takes ${decl.params.length} argument(s) (${decl.params.map((p) => p.name).join(', ')}), got ${args.length}`,
        );
      const lookup = (n: string) => dts.types.get(n);
      const jsArgs = decl.params.map((p, i) => fromJson(args[i], p.type, lookup, p.name));
      value = toJson(await enterGuest(inv, () => fn(...jsArgs)));
    }
    if (running.inv === inv) setRunning(0); // it resumed after an import and returned
    const inst = instance;
    // a call that ended meanwhile (deadline, failed import) abandoned its instance: never reuse it
    if (!settle(inv, { ok: true, value })) return void inst.ctx.drop?.();
    inst.ctx.inv = 0;
    if (o.defer) o.defer(() => recycle(c, inst, sticky));
    else recycle(c, inst, sticky);
  } catch (err) {
    // a trapped instance is never reused
    instance?.ctx.drop?.();
    if (sticky) c.sticky = undefined;
    else if (instance?.snapshot) refill(c);
    settle(inv, { ok: false, ...classify(err) });
  } finally {
    noteDeadline();
  }
}

/**
 * Ends every call past its deadline with COMP_TIMEOUT and drops its instance (a suspended guest is never resumed
 * into a reused instance). `blockedMs`: how long the event loop was held up since the last sweep (a guest that did
 * not yield): the calls it held up get that time back, only the one that ran fails. `stopped`: the main thread has
 * terminated that guest (see worker-pool.ts).
 */
export function sweep(now: number, blockedMs = 0, stopped = false): void {
  const culprit = running.inv;
  if (stopped && !culprit) return; // the sweep after the block has failed it already
  if (stopped || blockedMs > 0) setRunning(0);
  for (const [inv, call] of inflight) {
    if (inv !== culprit && blockedMs > 0) call.deadline += blockedMs;
    if (stopped ? inv !== culprit : call.deadline > now) continue;
    const how = stopped ? 'was stopped (it did not yield)' : 'was abandoned';
    settle(inv, {
      ok: false,
      code: 'COMP_TIMEOUT',
      message: `${call.cid}: the call ran past its deadline and ${how}; its instance was dropped`,
    });
    if (call.ctx) {
      call.ctx.inv = 0;
      call.ctx.drop?.();
      const c = comps.get(call.cid);
      if (c) {
        c.sticky = undefined;
        refill(c);
      }
    }
  }
  noteDeadline();
}
