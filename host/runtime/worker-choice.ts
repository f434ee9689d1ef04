/**
 * Choosing the guest worker for a call, and taking calls back from a worker stuck in a guest that does not yield.
 * A worker's event loop writes a heartbeat into shared memory (worker.ts); one with calls in flight whose heartbeat
 * is older than {@link STUCK_MS} is running a guest that has not yielded since.
 */

/** A worker with calls in flight whose heartbeat is older than this (ms) is stuck in a guest. */
export const STUCK_MS = 100;

/** What choosing needs to know of a worker. */
export interface Candidate {
  inflight: number;
  lastUsed: number;
  /** Heartbeat, ms since epoch. */
  beat: Float64Array;
  comps: Map<string, { done: boolean }>;
  /** Set when a call in it was abandoned: it takes no new calls and is replaced once its others are done. */
  retiring?: number;
}

/** Running a guest that has not yielded for STUCK_MS. */
export function isLooping(s: Candidate, now: number): boolean {
  // [1]: the earliest deadline of the calls in flight in the worker (those it serves itself count too)
  return (s.inflight > 0 || !!s.beat[1]) && now - (s.beat[0] ?? now) > STUCK_MS;
}

/** Takes no new calls: looping, or retiring. */
export function isStuck(s: Candidate, now: number): boolean {
  return s.retiring !== undefined || isLooping(s, now);
}

/** Prefers a worker that is not stuck, then fewer calls in flight, then the least recently used (one resetting its last instance waits). */
function better<S extends Candidate>(a: S, b: S, now: number): S {
  const sa = isStuck(a, now);
  if (sa !== isStuck(b, now)) return sa ? b : a;
  return b.inflight < a.inflight || (b.inflight === a.inflight && b.lastUsed < a.lastUsed) ? b : a;
}

/**
 * The worker for a call of `cid`: the best one that has it; but when every such worker is busy and one without it
 * is idle, or every such worker is stuck and one without it is not, that one (the call waits for the component to
 * be registered there, if `registered`); a worker registering it when none has it yet.
 */
export function chooseWorker<S extends Candidate>(slots: S[], cid: string, registered: boolean, now = Date.now()): S {
  let slot: S | undefined; // best worker that has the component
  let coming: S | undefined; // one registering it
  let other: S | undefined; // best worker that has not got it yet
  for (const s of slots) {
    const c = s.comps.get(cid);
    if (c?.done) slot = slot ? better(slot, s, now) : s;
    else {
      if (c) coming ??= s;
      other = other ? better(other, s, now) : s;
    }
  }
  if (
    slot &&
    registered &&
    other &&
    (isStuck(slot, now) ? !isStuck(other, now) : slot.inflight > 0 && other.inflight === 0)
  )
    slot = other;
  return slot ?? coming ?? slots.reduce((a, b) => better(a, b, now));
}

/**
 * Which of the calls posted to a worker it may still start. Calls carry a per-worker sequence number `n`; the
 * worker claims each before starting it, and the main thread can take back every call the worker has not claimed
 * yet (to run them elsewhere) — one atomic cursor, so a call runs in exactly one worker.
 */
export class DispatchCursor {
  readonly sab: SharedArrayBuffer;
  readonly #a: Int32Array;

  constructor(sab = new SharedArrayBuffer(4)) {
    this.sab = sab;
    this.#a = new Int32Array(sab);
  }

  /** Worker: true when call `n` is still this worker's to run. */
  claim(n: number): boolean {
    return Atomics.compareExchange(this.#a, 0, n - 1, n) === n - 1;
  }

  /** Main: takes back the calls after the last one claimed, up to `top`; the last claimed one, or undefined if none was taken. */
  takeBack(top: number): number | undefined {
    for (;;) {
      const cur = Atomics.load(this.#a, 0);
      if (cur >= top) return undefined;
      if (Atomics.compareExchange(this.#a, 0, cur, top) === cur) return cur;
    }
  }
}

/** A call posted to a worker, as far as moving it goes: its sequence number there, and whether it may move. */
export interface Movable {
  n?: number;
  movable?: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * Takes back from a worker the calls it has not started, up to the first that cannot move (its body is streaming
 * into that worker): removes them from `pending` and returns them, to be dispatched again.
 */
export function takeBackQueued<P extends Movable>(pending: Map<number, P>, cursor: DispatchCursor, seq: number): P[] {
  let top = seq;
  for (const p of pending.values()) if (p.n !== undefined && !p.movable) top = Math.min(top, p.n - 1);
  const from = cursor.takeBack(top);
  if (from === undefined) return [];
  const out: P[] = [];
  for (const [id, p] of pending) {
    if (p.n === undefined || p.n <= from || p.n > top) continue;
    pending.delete(id);
    clearTimeout(p.timer);
    out.push(p);
  }
  return out;
}
