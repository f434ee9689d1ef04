import { Worker } from 'node:worker_threads';
import { ComponentError, ComponentErrorCode } from './errors.ts';
import { sumStats } from './worker-protocol.ts';
import type {
  CallContext,
  ComponentStats,
  FromWorker,
  Registration,
  ToWorker,
  WorkerPoolOptions,
} from './worker-protocol.ts';
import { BodyPump } from './http-body.ts';
import { DispatchCursor, chooseWorker, isLooping, isStuck, takeBackQueued } from './worker-choice.ts';
import type { Candidate } from './worker-choice.ts';

const MOVED = Symbol('taken back from a stuck worker before it started: dispatch again');

export type { CallContext, ImportHandler, LogHandler, Registration, WorkerPoolOptions } from './worker-protocol.ts';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  cid: string;
  timer?: NodeJS.Timeout;
  ctx?: CallContext;
  pump?: BodyPump;
  /** Per-worker sequence number of an invocation (see DispatchCursor); `movable` unless its body is streaming in. */
  n?: number;
  movable?: boolean;
}
/** A component in one worker: registration under way, or done (then calls are routed to the worker). */
interface SlotComp {
  reg: Registration;
  ready: Promise<void>;
  done: boolean;
  /** Its `start` message is sent: a call posted after it is served once the worker has instantiated it. */
  sent: boolean;
}
/** A worker: what choosing needs (heartbeat, calls in flight, components; see worker-choice.ts), and the rest. */
interface Slot extends Candidate {
  worker: Worker;
  /** Invocations posted to it (`seq`), and which of them it has started (`cursor`). */
  seq: number;
  cursor: DispatchCursor;
  pending: Map<number, Pending>;
  /** Compiled modules loaded into the worker (or loading), per digest; `loaded` once they are. */
  loads: Map<string, Promise<unknown>>;
  loaded: Set<string>;
  comps: Map<string, SlotComp>;
}

/**
 * Guest workers. `register` loads and pre-instantiates a component in one worker and resolves then (a scaled
 * component is callable after one instantiation, not one per worker); the other workers get it in the background.
 * A call goes to the worker `chooseWorker` picks: never one stuck in a guest that does not yield while another is
 * not, and calls queued in a stuck worker move to another before they start. A call past `maxExecutionTimeMs` fails
 * with COMP_TIMEOUT; if its guest is looping, its worker is terminated and replaced (the calls it had started fail
 * with COMP_WORKER_LOST), else the call is abandoned and its worker replaced once its other calls are done.
 */
export class WorkerPool {
  readonly #o: WorkerPoolOptions;
  readonly #slots: Slot[] = [];
  readonly #regs = new Map<string, Registration>();
  /** Digests instantiated successfully in some worker. */
  readonly #good = new Set<string>();
  #seq = 0;
  #tick = 0;
  #closed = false;

  constructor(o: WorkerPoolOptions) {
    this.#o = o;
    for (let i = 0; i < o.size; i++) this.#slots.push(this.#spawn());
    setInterval(() => this.#rescue(), 50).unref();
  }

  /** Loads and pre-instantiates a component (a new one, or a new version of `reg.cid`) in a worker, then in the others. */
  async register(reg: Registration): Promise<void> {
    this.#regs.set(reg.cid, reg);
    // workers running an older version take no more calls for it until they have registered this one
    for (const s of this.#slots) s.comps.delete(reg.cid);
    // the least busy worker, among equals the one with the fewest components (components spread over the workers)
    const first = this.#slots.reduce((a, b) =>
      b.inflight < a.inflight || (b.inflight === a.inflight && b.comps.size < a.comps.size) ? b : a,
    );
    const ready = this.#ensure(first, reg);
    // the other workers get it in the background once it runs in one (a failure there shows on calls routed there)
    const others = (): void => {
      for (const s of this.#slots)
        if (s !== first && this.#regs.get(reg.cid) === reg) this.#ensure(s, reg).catch(() => undefined);
    };
    // a digest this pool has instantiated before links the same way again: the component is callable as soon as
    // the worker has its start message (calls queue behind the instantiation there), as wasmCloud's component is
    // once linked, before any instance exists
    if (this.#good.has(reg.prepared.digest) && first.comps.get(reg.cid)?.sent) {
      void ready.then(others, () => undefined);
      return;
    }
    await ready;
    others();
  }

  unregister(cid: string): void {
    this.#regs.delete(cid);
    for (const s of this.#slots) {
      s.comps.delete(cid);
      s.worker.postMessage({ t: 'stop', cid } satisfies ToWorker);
    }
  }

  /** Calls `op` on `cid` in the least busy worker it is registered in (see `chooseWorker`). */
  async invoke(cid: string, op: string, args: unknown[], ctx?: CallContext): Promise<unknown> {
    for (;;) {
      const reg = this.#regs.get(cid);
      const slot = chooseWorker(this.#slots, cid, !!reg);
      slot.lastUsed = ++this.#tick;
      slot.inflight++; // counted before any await, so concurrent callers spread over the workers
      try {
        const c = slot.comps.get(cid);
        if (!c?.done && reg && !(c?.sent && this.#good.has(reg.prepared.digest)))
          await (c?.ready ?? this.#ensure(slot, reg));
        return await this.#post(slot, cid, op, args, ctx);
      } catch (err) {
        if (err !== MOVED) throw err; // taken back from a stuck worker before it started: choose again
      } finally {
        slot.inflight--;
      }
    }
  }

  #post(slot: Slot, cid: string, op: string, args: unknown[], ctx?: CallContext): Promise<unknown> {
    const id = ++this.#seq;
    const n = ++slot.seq;
    return new Promise<unknown>((resolve, reject) => {
      const p: Pending = { resolve, reject, cid, ctx, n, movable: !ctx?.httpBody };
      p.timer = setTimeout(() => this.#timeout(slot, id, cid, op), this.#o.maxExecutionTimeMs);
      slot.pending.set(id, p);
      slot.worker.postMessage({
        t: 'invoke',
        id,
        n,
        cid,
        op,
        args,
        stream: ctx?.httpSink ? true : undefined,
        bodyStream: ctx?.httpBody ? true : undefined,
      } satisfies ToWorker);
      if (ctx?.httpBody) void (p.pump = new BodyPump((m, tr) => slot.worker.postMessage(m, tr), id)).run(ctx.httpBody);
    });
  }

  /**
   * Every 50 ms: calls queued in a stuck worker, not started yet, move to one that is not. When every worker is
   * stuck, one more starts (up to twice the pool size), so looping guests cannot take the other components down;
   * workers beyond the pool size stop again once idle.
   */
  #rescue(): void {
    const now = Date.now();
    for (const s of [...this.#slots])
      if (s.retiring !== undefined && (s.pending.size === 0 || now > s.retiring))
        this.#replace(s, 'a call ran past its execution time', ComponentErrorCode.WorkerLost);
    const stuck = this.#slots.filter((s) => isStuck(s, now));
    if (stuck.length === this.#slots.length) {
      if (this.#slots.length < 2 * this.#o.size) this.#slots.push(this.#spawn());
      return;
    }
    const idle =
      stuck.length === 0 && this.#slots.length > this.#o.size
        ? this.#slots.find((s) => s.pending.size === 0 && s.inflight === 0)
        : undefined;
    if (idle) {
      this.#slots.splice(this.#slots.indexOf(idle), 1);
      void idle.worker.terminate().catch(() => undefined);
    }
    for (const slot of stuck) for (const p of takeBackQueued(slot.pending, slot.cursor, slot.seq)) p.reject(MOVED);
  }

  /** Guest worker threads running now (the pool size, more while stuck workers are being rescued). */
  get workers(): number {
    return this.#slots.length;
  }

  /** Live instances and linear-memory bytes per component, summed over the workers (for /metrics). */
  async stats(): Promise<Record<string, ComponentStats>> {
    const per = await Promise.all(
      this.#slots.map((s) =>
        Promise.race([
          this.#request(s, (id) => ({ t: 'stats', id })),
          new Promise((r) => setTimeout(() => r({}), 1000).unref()),
        ]),
      ),
    );
    return sumStats(per as Record<string, ComponentStats>[]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }

  #spawn(): Slot {
    const beat = new Float64Array(new SharedArrayBuffer(8)).fill(Date.now());
    const cursor = new DispatchCursor();
    const worker = new Worker(new URL('./worker.ts', import.meta.url), {
      workerData: { beat: beat.buffer, cursor: cursor.sab },
    });
    this.#o.onSpawn?.(worker);
    const slot: Slot = {
      worker,
      beat,
      seq: 0,
      cursor,
      pending: new Map(),
      loads: new Map(),
      loaded: new Set(),
      comps: new Map(),
      inflight: 0,
      lastUsed: 0,
    };
    worker.on('message', (m: FromWorker) => this.#onMessage(slot, m));
    worker.on('error', (err: Error) =>
      this.#replace(slot, `worker crashed: ${err.message}`, ComponentErrorCode.WorkerLost),
    );
    worker.on('exit', () => {
      if (!this.#closed && this.#slots.includes(slot))
        this.#replace(slot, 'worker exited', ComponentErrorCode.WorkerLost);
    });
    for (const r of this.#regs.values()) this.#ensure(slot, r).catch(() => undefined);
    return slot;
  }

  /** Registers `reg` in `slot` unless it is there or on its way. */
  #ensure(slot: Slot, reg: Registration): Promise<void> {
    const cur = slot.comps.get(reg.cid);
    if (cur?.reg === reg) return cur.ready;
    const c: SlotComp = { reg, done: false, sent: false, ready: Promise.resolve() };
    slot.comps.set(reg.cid, c);
    c.ready = this.#registerIn(slot, c).then(
      () => {
        this.#good.add(reg.prepared.digest);
        c.done = slot.comps.get(reg.cid) === c;
      },
      (err: unknown) => {
        if (slot.comps.get(reg.cid) === c) slot.comps.delete(reg.cid);
        throw err;
      },
    );
    return c.ready;
  }

  /** Loads the digest (once per worker) and starts the component; `start` is sent at once when it is loaded. */
  #registerIn(slot: Slot, c: SlotComp): Promise<void> {
    const { cid, env, stateful, spares, prepared } = c.reg;
    const { digest, dir, meta, modules } = prepared;
    const start = (): Promise<unknown> => {
      c.sent = true;
      return this.#request(slot, (id) => ({ t: 'start', id, cid, digest, env, stateful, spares }));
    };
    if (slot.loaded.has(digest)) return start().then(() => undefined);
    let load = slot.loads.get(digest);
    if (!load) {
      load = this.#request(slot, (id) => ({ t: 'load', id, digest, dir, meta, modules })).then(() =>
        slot.loaded.add(digest),
      );
      slot.loads.set(digest, load);
      load.catch(() => slot.loads.delete(digest));
    }
    return load.then(start).then(() => undefined);
  }

  #request(slot: Slot, msg: (id: number) => ToWorker): Promise<unknown> {
    const id = ++this.#seq;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject, cid: '' });
      slot.worker.postMessage(msg(id));
    });
  }

  #onMessage(slot: Slot, m: FromWorker): void {
    if (m.t === 'log')
      return this.#o.onLog?.(m.cid, m.stream, m.line, m.inv ? slot.pending.get(m.inv)?.ctx : undefined);
    if (m.t === 'httpHead') return slot.pending.get(m.id)?.ctx?.httpSink?.head(m.status, m.headers);
    if (m.t === 'httpChunk') return slot.pending.get(m.id)?.ctx?.httpSink?.chunk(m.chunk);
    if (m.t === 'httpBodyAck') return slot.pending.get(m.id)?.pump?.ack(m.consumed);
    if (m.t === 'import') {
      const reply = (r: ToWorker): void => slot.worker.postMessage(r);
      const h = this.#o.onImport;
      if (!h)
        return reply({
          t: 'importResult',
          id: m.id,
          ok: false,
          code: 'COMP_IMPORT',
          message: `no host handler for ${m.iface}.${m.func}`,
        });
      h(m.cid, m.iface, m.func, m.args, { ...slot.pending.get(m.inv)?.ctx, linkNames: m.linkNames }).then(
        (value) => reply({ t: 'importResult', id: m.id, ok: true, value }),
        (err: unknown) => {
          const e = err as Error & { code?: string; value?: unknown };
          // a WIT error value is a normal answer for the guest (the err of its result), not a failed call
          if (e?.name === 'WitError')
            return reply({ t: 'importResult', id: m.id, ok: true, value: { $witErr: e.value } });
          reply({ t: 'importResult', id: m.id, ok: false, code: e.code ?? 'COMP_IMPORT', message: e.message });
        },
      );
      return;
    }
    const p = slot.pending.get(m.id);
    if (!p) return;
    slot.pending.delete(m.id);
    clearTimeout(p.timer);
    p.pump?.stop();
    if (m.ok) p.resolve(m.t === 'result' || m.t === 'stats' ? m.value : undefined);
    else {
      const code = ('code' in m && m.code ? m.code : ComponentErrorCode.Instantiate) as ComponentErrorCode;
      p.reject(new ComponentError(code, `${p.cid ? `${p.cid}: ` : ''}${m.message ?? 'failed'}`));
    }
  }

  #timeout(slot: Slot, id: number, cid: string, op: string): void {
    const p = slot.pending.get(id);
    if (!p) return;
    slot.pending.delete(id);
    p.pump?.stop();
    const now = Date.now();
    const limit = `${cid}: ${op} ran past --max-execution-time-ms (${this.#o.maxExecutionTimeMs} ms)`;
    // a guest that does not yield is stopped with its worker; one that waits (on an import) is abandoned, and its
    // worker retires once its other calls are done (by the next limit at the latest), so they are not lost with it
    if (!isLooping(slot, now)) {
      p.reject(new ComponentError(ComponentErrorCode.Timeout, `${limit} waiting, and was abandoned`));
      slot.retiring ??= now + this.#o.maxExecutionTimeMs;
      return;
    }
    p.reject(new ComponentError(ComponentErrorCode.Timeout, `${limit} and was stopped`));
    this.#replace(slot, `${cid} ${op} exceeded its execution time`, ComponentErrorCode.WorkerLost);
  }

  #replace(slot: Slot, reason: string, code: ComponentErrorCode): void {
    const i = this.#slots.indexOf(slot);
    if (i < 0 || this.#closed) return;
    this.#slots.splice(i, 1);
    void slot.worker.terminate().catch(() => undefined);
    this.#o.onWorkerLost?.(reason);
    if (this.#slots.length < this.#o.size) this.#slots.push(this.#spawn());
    // calls it never started run in another worker; the others failed with it
    for (const p of takeBackQueued(slot.pending, slot.cursor, slot.seq)) p.reject(MOVED);
    for (const [, p] of slot.pending) {
      clearTimeout(p.timer);
      p.pump?.stop();
      p.reject(new ComponentError(code, `${p.cid}: the guest worker was replaced (${reason}); retry the call`));
    }
    slot.pending.clear();
  }
}
