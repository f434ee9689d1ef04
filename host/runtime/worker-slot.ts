/**
 * One guest worker as the pool sees it: its thread, the calls posted to it, the components registered in it, and
 * request/answer messages to it (`load`, `start`, `serve`, `stats`...).
 */
import { getCompileCacheDir } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { settleWithin, WitError } from '../../lattice/pure.ts';
import type { NatsConnectOptions } from '../../lattice/index.ts';
import { HOLDERS, SharedLimit } from './admission.ts';
import { ComponentError, ComponentErrorCode } from './errors.ts';
import { releaseBudgetHolder } from './guest-budget.ts';
import { WIT_ERROR } from './thread-outcome.ts';
import type { BodyPump } from './http-body.ts';
import { DispatchCursor } from './worker-choice.ts';
import type { Candidate } from './worker-choice.ts';
import { INSTANTIATE_TIMEOUT_MS } from './worker-protocol.ts';
import type { CallContext, Registration, ToWorker } from './worker-protocol.ts';

export interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  cid: string;
  /** A component's start (its instantiation), not a call: failed with its own message when the worker is lost. */
  starting?: boolean;
  timer?: NodeJS.Timeout;
  ctx?: CallContext;
  pump?: BodyPump;
  /** Per-worker sequence number of an invocation (see DispatchCursor). */
  n?: number;
}
/** A component in one worker: registration under way, or done (then calls are routed to the worker). */
export interface SlotComp {
  reg: Registration;
  ready: Promise<void>;
  done: boolean;
  /** Its `start` message is sent: a call posted after it is served once the worker has instantiated it. */
  sent: boolean;
}

/** The holder indices of `max_instances` slots (admission.ts) that live workers use; 0 is the main thread's. */
const holders = new Set<number>();
function takeHolder(): number {
  for (let h = 1; h < HOLDERS; h++)
    if (!holders.has(h)) {
      holders.add(h);
      return h;
    }
  return 0; // more than 63 workers at once: these share the main thread's count (never given back)
}

/**
 * The guest worker's environment: the main thread's, plus the compile cache the main thread uses (bin.js turns it
 * on; a worker does not inherit it), so that worker.ts and its imports load type-stripped from the cache after the
 * first start: no TypeScript stripper in the worker (~10 MB of resident memory each).
 */
function workerEnv(): NodeJS.ProcessEnv {
  const dir = getCompileCacheDir(); // {NODE_COMPILE_CACHE}/{node version}: the variable names the folder above
  return dir ? { ...process.env, NODE_COMPILE_CACHE: dirname(dir) } : process.env;
}

/** A worker: what choosing needs (heartbeat, calls in flight, components; see worker-choice.ts), and the rest. */
export class Slot implements Candidate {
  readonly worker: Worker;
  /** Its index among the holders of `max_instances` slots. */
  readonly holder = takeHolder();
  /**
   * [0] heartbeat, [1] the earliest deadline of the calls in flight in it (0: none), ms since epoch; [2] 1 while the
   * guest running is one the watchdog may terminate (worker-host-calls.ts `enterSafely`); [3] the earliest deadline
   * of the instantiations under way in it (0: none).
   */
  readonly beat: Float64Array;
  readonly cursor = new DispatchCursor();
  /** Invocations posted to it (`seq`), and which of them it has started (`cursor`). */
  seq = 0;
  readonly pending = new Map<number, Pending>();
  /** Compiled modules loaded into the worker (or loading), per digest; `loaded` once they are. */
  readonly loads = new Map<string, Promise<unknown>>();
  readonly loaded = new Set<string>();
  readonly comps = new Map<string, SlotComp>();
  /** Components whose lattice calls it serves: its answer to their `serve` message. */
  readonly serving = new Map<string, Promise<unknown>>();
  inflight = 0;
  lastUsed = 0;
  retiring?: number;
  /** When the watchdog terminated a guest in it that did not yield (the worker is replaced if it stays stuck). */
  stoppedAt?: number;
  #ids = 0;

  readonly #budget: SharedArrayBuffer | undefined;

  constructor(
    limitMs: number,
    nats: NatsConnectOptions | undefined,
    budget?: SharedArrayBuffer,
    instantiateMs = INSTANTIATE_TIMEOUT_MS,
  ) {
    this.#budget = budget;
    this.beat = new Float64Array(new SharedArrayBuffer(32));
    this.beat[0] = Date.now();
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), {
      env: workerEnv(),
      workerData: {
        beat: this.beat.buffer,
        cursor: this.cursor.sab,
        limitMs,
        nats,
        budget,
        holder: this.holder,
        instantiateMs,
      },
    });
  }

  /**
   * Terminates the worker; once its thread has stopped, gives back the `max_instances` slots its calls still held
   * (`limits`: every registered component's) and the host-wide guest budget they were admitted against, and frees its
   * holder index.
   */
  async retire(limits: SharedArrayBuffer[]): Promise<void> {
    await this.worker.terminate().catch(() => undefined);
    if (this.holder === 0) return;
    for (const sab of limits) SharedLimit.releaseHolder(sab, this.holder);
    if (this.#budget) releaseBudgetHolder(this.#budget, this.holder);
    holders.delete(this.holder);
  }

  /**
   * Retires a worker that is idle, not stuck: its lattice subscriptions drain first (NATS may already have handed it
   * calls, which a terminated thread would drop: their callers timed out), at most `drainMs`, then {@link retire}.
   */
  async retireIdle(limits: SharedArrayBuffer[], drainMs = 5000): Promise<void> {
    const drains = [...this.serving.keys()].map((cid) => this.request((id) => ({ t: 'unserve', id, cid })));
    await settleWithin(Promise.allSettled(drains), drainMs);
    this.serving.clear();
    await this.retire(limits);
  }

  /** Fails what the worker still held when it was replaced: its calls (to retry) and its components' starts. */
  failPending(code: ComponentErrorCode, reason: string): void {
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.pump?.stop();
      const message = p.starting
        ? `${p.cid}: its instantiation did not finish: the guest worker was replaced (${reason})`
        : `${p.cid}: the guest worker was replaced (${reason}); retry the call`;
      p.reject(new ComponentError(code, message));
    }
    this.pending.clear();
  }

  nextId(): number {
    return ++this.#ids;
  }

  post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  /** Posts a request and resolves with the worker's answer (rejects with a coded error on `ok: false`). */
  request(msg: (id: number) => ToWorker, starting?: string): Promise<unknown> {
    const id = this.nextId();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, cid: starting ?? '', starting: starting !== undefined });
      this.post(msg(id));
    });
  }

  /** Registers `reg` unless it is there or on its way; `good` is told of a digest that instantiated. */
  ensure(reg: Registration, good: (digest: string) => void): Promise<void> {
    const cur = this.comps.get(reg.cid);
    if (cur?.reg === reg) return cur.ready;
    const c: SlotComp = { reg, done: false, sent: false, ready: Promise.resolve() };
    this.comps.set(reg.cid, c);
    c.ready = this.#registerIn(c).then(
      () => {
        good(reg.prepared.digest);
        c.done = this.comps.get(reg.cid) === c;
      },
      (err: unknown) => {
        if (this.comps.get(reg.cid) === c) this.comps.delete(reg.cid);
        throw err;
      },
    );
    return c.ready;
  }

  /** Loads the digest (once per worker) and starts the component; `start` is sent at once when it is loaded. */
  #registerIn(c: SlotComp): Promise<void> {
    const { cid, env, stateful, spares, prepared, limit } = c.reg;
    const { digest, dir, meta, modules } = prepared;
    const start = (): Promise<unknown> => {
      c.sent = true;
      return this.request((id) => ({ t: 'start', id, cid, digest, env, stateful, spares, limit }), cid);
    };
    if (this.loaded.has(digest)) return start().then(() => undefined);
    let load = this.loads.get(digest);
    if (!load) {
      load = this.request((id) => ({ t: 'load', id, digest, dir, meta, modules })).then(() => this.loaded.add(digest));
      this.loads.set(digest, load);
      load.catch(() => this.loads.delete(digest));
    }
    return load.then(start).then(() => undefined);
  }

  /** Settles a request or invocation with the worker's answer (`value`: the WIT error value of a `WIT_ERROR`). */
  answer(id: number, ok: boolean, value: unknown, code: string | undefined, message: string | undefined): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.pump?.stop();
    if (ok) return p.resolve(value);
    if (code === WIT_ERROR) return p.reject(new WitError(value)); // the export's result::err, an answer
    const c = (code ?? ComponentErrorCode.Instantiate) as ComponentErrorCode;
    p.reject(new ComponentError(c, `${p.cid ? `${p.cid}: ` : ''}${message ?? 'failed'}`));
  }
}
