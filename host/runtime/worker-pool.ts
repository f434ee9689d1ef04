import { ComponentErrorCode } from './errors.ts';
import { sumStats } from './worker-protocol.ts';
import type {
  CallContext,
  ComponentStats,
  FromWorker,
  Registration,
  Served,
  WorkerPoolOptions,
} from './worker-protocol.ts';
import { BodyPump } from './http-body.ts';
import { STUCK_MS, chooseWorker, isStuck, takeBackQueued } from './worker-choice.ts';
import { Slot } from './worker-slot.ts';
import { GuestStopper, watchGuest } from './guest-stop.ts';
import { serveImport } from './worker-imports.ts';

const MOVED = Symbol('taken back from a stuck worker before it started: dispatch again');

export type { CallContext, ImportHandler, LogHandler, Registration, WorkerPoolOptions } from './worker-protocol.ts';

/** What the main thread does for the lattice calls the workers serve (policy decisions, their reports). */
export interface LatticeHooks {
  lattice: string;
  authorize?: (cid: string, op: string) => Promise<void>;
  report: (served: Served[]) => void;
  spans: boolean;
}

/**
 * Guest workers. `register` loads and pre-instantiates a component in one worker and resolves then (a scaled
 * component is callable after one instantiation, not one per worker); the other workers get it in the background.
 * A call goes to the worker `chooseWorker` picks: never one stuck in a guest that does not yield while another is
 * not, and calls queued in a stuck worker move to another before they start. `serve` has every worker running a
 * component serve its lattice calls itself. A call past its deadline fails with COMP_TIMEOUT and its instance is
 * dropped (in the worker); a guest that does not yield past a deadline is terminated by the watchdog (guest-stop.ts)
 * and its worker lives on; a worker still stuck after that is replaced (its calls fail with COMP_WORKER_LOST).
 */
export class WorkerPool {
  readonly #o: WorkerPoolOptions;
  readonly #slots: Slot[] = [];
  readonly #regs = new Map<string, Registration>();
  /** Digests instantiated successfully in some worker. */
  readonly #good = new Set<string>();
  readonly #served = new Set<string>();
  readonly #stopper = new GuestStopper();
  #hooks: LatticeHooks | undefined;
  #tick = 0;
  #closed = false;

  constructor(o: WorkerPoolOptions) {
    this.#o = o;
    void this.#stopper.start();
    for (let i = 0; i < o.size; i++) this.#slots.push(this.#spawn());
    setInterval(() => this.#rescue(), 50).unref();
  }

  /** True when the workers can serve lattice calls themselves (they have NATS options). */
  get servesLattice(): boolean {
    return !!this.#o.nats;
  }

  setLatticeHooks(h: LatticeHooks): void {
    this.#hooks = h;
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

  /** Every worker running `cid` serves its lattice calls (resolves once one does; the others follow). */
  async serve(cid: string): Promise<void> {
    this.#served.add(cid);
    const ready = this.#slots.flatMap((s) => {
      const c = s.comps.get(cid);
      if (!c) return [];
      // a digest instantiated before: the worker subscribes as soon as it has the start message (calls queue behind
      // the instantiation there), so the instantiation is off the scale → first call path, as in `register`
      if (c.sent && this.#good.has(c.reg.prepared.digest)) return [this.#serveIn(s, cid)];
      return [c.ready.then(() => this.#serveIn(s, cid))];
    });
    await Promise.any(ready).catch((err: AggregateError) => {
      throw (err.errors?.[0] as Error | undefined) ?? new Error(`${cid} runs in no guest worker`);
    });
  }

  /** No worker serves `cid`'s lattice calls any more; resolves once those in flight have answered. */
  async unserve(cid: string): Promise<void> {
    this.#served.delete(cid);
    await Promise.all(
      this.#slots.map((s) => (s.serving.delete(cid) ? s.request((id) => ({ t: 'unserve', id, cid })) : undefined)),
    ).catch(() => undefined);
  }

  #serveIn(s: Slot, cid: string): Promise<unknown> {
    const h = this.#hooks;
    const cur = s.serving.get(cid);
    if (cur || !h || !this.#served.has(cid)) return cur ?? Promise.resolve();
    const p = s.request((id) => ({ t: 'serve', id, cid, lattice: h.lattice, policy: !!h.authorize, spans: h.spans }));
    s.serving.set(cid, p);
    p.catch(() => s.serving.get(cid) === p && s.serving.delete(cid));
    return p;
  }

  unregister(cid: string): void {
    this.#regs.delete(cid);
    for (const s of this.#slots) {
      s.comps.delete(cid);
      s.post({ t: 'stop', cid });
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
    const id = slot.nextId();
    const n = ++slot.seq;
    const limit = this.#o.maxExecutionTimeMs;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        // the worker ends the call at the same deadline (and drops its instance); this covers a worker that does not
        slot.answer(id, false, undefined, ComponentErrorCode.Timeout, `${op} ran past ${limit} ms and was stopped`);
      }, limit + STUCK_MS);
      slot.pending.set(id, { resolve, reject, cid, ctx, n, timer });
      slot.post({
        t: 'invoke',
        id,
        n,
        cid,
        op,
        args,
        stream: ctx?.httpSink ? true : undefined,
        bodyStream: ctx?.httpBody ? true : undefined,
      });
      const pending = slot.pending.get(id);
      if (ctx?.httpBody && pending)
        void (pending.pump = new BodyPump((m, tr) => slot.worker.postMessage(m, tr), id)).run(ctx.httpBody);
    });
  }

  /**
   * Every 50 ms: a worker stuck in a guest past a call's deadline gets that guest terminated (and is replaced if it
   * stays stuck); calls queued in a stuck worker, not started yet, move to one that is not. When every worker is
   * stuck, one more starts (up to twice the pool size); workers beyond the pool size stop again once idle.
   */
  #rescue(): void {
    const now = Date.now();
    for (const s of [...this.#slots])
      watchGuest(s, now, this.#stopper, (why) => this.#replace(s, why, ComponentErrorCode.WorkerLost));
    const stuck = this.#slots.filter((s) => isStuck(s, now));
    if (stuck.length === this.#slots.length) {
      if (this.#slots.length < 2 * this.#o.size) this.#slots.push(this.#spawn());
      return;
    }
    const idle =
      stuck.length === 0 && this.#slots.length > this.#o.size
        ? this.#slots.find((s) => s.pending.size === 0 && s.inflight === 0 && !s.beat[1])
        : undefined;
    if (idle) {
      this.#slots.splice(this.#slots.indexOf(idle), 1);
      void idle.retireIdle(this.#limits());
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
          s.request((id) => ({ t: 'stats', id })),
          new Promise((r) => setTimeout(() => r({}), 1000).unref()),
        ]),
      ),
    );
    return sumStats(per as Record<string, ComponentStats>[]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopper.close();
    await Promise.all(this.#slots.map((s) => s.retire(this.#limits())));
  }

  /** The `max_instances` slots of every registered component (a retired worker gives its share back). */
  #limits = (): SharedArrayBuffer[] => [...this.#regs.values()].flatMap((r) => (r.limit ? [r.limit] : []));

  #spawn(): Slot {
    const slot = new Slot(this.#o.maxExecutionTimeMs, this.#o.nats, this.#o.budget, this.#o.instantiateTimeoutMs);
    this.#o.onSpawn?.(slot.worker);
    slot.worker.on('message', (m: FromWorker) => this.#onMessage(slot, m));
    slot.worker.on('error', (err: Error) =>
      this.#replace(slot, `worker crashed: ${err.message}`, ComponentErrorCode.WorkerLost),
    );
    slot.worker.on('exit', () => {
      if (!this.#closed && this.#slots.includes(slot))
        this.#replace(slot, 'worker exited', ComponentErrorCode.WorkerLost);
    });
    // components that instantiated somewhere; one on its first instantiation (maybe what a replaced worker was stuck
    // in) is registered on demand, not looped into every new worker
    for (const r of this.#regs.values())
      if (this.#good.has(r.prepared.digest)) this.#ensure(slot, r).catch(() => undefined);
    return slot;
  }

  #ensure(slot: Slot, reg: Registration): Promise<void> {
    const ready = slot.ensure(reg, (d) => this.#good.add(d));
    void ready.then(() => this.#serveIn(slot, reg.cid)).catch(() => undefined);
    return ready;
  }

  #onMessage(slot: Slot, m: FromWorker): void {
    switch (m.t) {
      case 'log':
        return this.#o.onLog?.(m.cid, m.stream, m.line, m.trace ?? (m.inv ? slot.pending.get(m.inv)?.ctx : undefined));
      case 'httpHead':
        return slot.pending.get(m.id)?.ctx?.httpSink?.head(m.status, m.headers);
      case 'httpChunk':
        return slot.pending.get(m.id)?.ctx?.httpSink?.chunk(m.chunk);
      case 'httpBodyAck':
        return slot.pending.get(m.id)?.pump?.ack(m.consumed);
      case 'import':
        return serveImport(slot, m, this.#o.onImport);
      case 'report':
        return this.#hooks?.report(m.served);
      case 'authorize': {
        const allow = this.#hooks?.authorize?.(m.cid, m.op) ?? Promise.resolve();
        return void allow.then(
          () => slot.post({ t: 'authorized', id: m.id, ok: true }),
          (err: { code?: string; message?: string }) =>
            slot.post({ t: 'authorized', id: m.id, ok: false, code: err.code, message: err.message }),
        );
      }
      case 'stats':
      case 'result':
        return slot.answer(m.id, m.ok, m.value, 'code' in m ? m.code : undefined, 'message' in m ? m.message : '');
      default:
        return slot.answer(m.id, m.ok, undefined, undefined, m.message);
    }
  }

  #replace(slot: Slot, reason: string, code: ComponentErrorCode): void {
    const i = this.#slots.indexOf(slot);
    if (i < 0 || this.#closed) return;
    this.#slots.splice(i, 1);
    void slot.retire(this.#limits()); // its calls' max_instances slots come back once its thread has stopped
    this.#o.onWorkerLost?.(reason);
    if (this.#slots.length < this.#o.size) this.#slots.push(this.#spawn());
    // calls it never started run in another worker; the others failed with it
    for (const p of takeBackQueued(slot.pending, slot.cursor, slot.seq)) p.reject(MOVED);
    slot.failPending(code, reason);
  }
}
