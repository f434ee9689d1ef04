/**
 * Stops a guest that does not yield, per call and not per thread: the inspector's `Runtime.terminateExecution`,
 * sent to the worker's own inspector session (`NodeWorker.sendMessageToWorker`), unwinds the JavaScript and Wasm
 * running in that worker right now; V8 checks for it at every Wasm loop header. The worker's event loop, its other
 * instances and its NATS connection survive (measured: a worker looping in `for(;;){}` answers its next message).
 * It costs nothing per call: one main-thread inspector session, attached to the workers, is used only to stop one.
 */
import { Session } from 'node:inspector/promises';
import { STUCK_MS } from './worker-choice.ts';
import type { Slot } from './worker-slot.ts';

/** A worker still stuck this long after its guest was terminated is replaced. */
const STOP_GRACE_MS = 1000;

/**
 * The watchdog, per worker every 50 ms: a worker whose event loop has not turned for STUCK_MS while a call in it
 * is past its deadline runs a guest that does not yield: terminate that guest (the worker tells which call it was
 * and fails it with COMP_TIMEOUT), or `replace` the worker when it is not attached, or when it is still stuck
 * STOP_GRACE_MS later (at once for a guest it could terminate; for code it could not, such as an instantiation).
 */
export function watchGuest(s: Slot, now: number, stopper: GuestStopper, replace: (reason: string) => void): void {
  const beat = s.beat[0] ?? now;
  if (now - beat <= STUCK_MS) {
    s.stoppedAt = undefined;
    return;
  }
  if (s.stoppedAt !== undefined) {
    if (now - s.stoppedAt > STOP_GRACE_MS)
      replace(
        s.beat[2]
          ? 'a guest did not stop'
          : 'a guest ran past its deadline where it cannot be stopped alone, e.g. in an instantiation or a start function',
      );
    return;
  }
  const past = (d = 0): boolean => d > 0 && now > d;
  // a call past its deadline; or, where no call's guest code runs, an instantiation past its own (a start function)
  if (!past(s.beat[1]) && (s.beat[2] || !past(s.beat[3]))) return;
  s.stoppedAt = now;
  // outside a call's guest code (an instantiation, a start function, a burst of instance resets, a loaded machine)
  // termination is unsafe (see enterSafely): the worker gets STOP_GRACE_MS to turn its loop again, else it is replaced
  if (!s.beat[2]) return;
  void stopper.stop(s.worker.threadId).then((ok) => {
    if (ok) s.post({ t: 'stopped' });
    else replace('a guest ran past its deadline');
  });
}

export class GuestStopper {
  #session: Session | undefined;
  #ready: Promise<void> | undefined;
  /** Inspector session id per worker thread id. */
  readonly #sessions = new Map<number, string>();

  /** Attaches to the workers (new ones attach as they start). */
  start(): Promise<void> {
    this.#ready ??= (async () => {
      const s = new Session();
      s.connect();
      s.on('NodeWorker.attachedToWorker', (e) => {
        // the inspector's workerId is its own counter; the thread id is in the title ("[worker 3] WorkerThread")
        const p = e.params as { sessionId: string; workerInfo: { title?: string } };
        const thread = /^\[worker (\d+)\]/.exec(p.workerInfo.title ?? '')?.[1];
        if (thread) this.#sessions.set(Number(thread), p.sessionId);
      });
      s.on('NodeWorker.detachedFromWorker', (e) => {
        const id = (e.params as { sessionId: string }).sessionId;
        for (const [k, v] of this.#sessions) if (v === id) this.#sessions.delete(k);
      });
      await s.post('NodeWorker.enable', { waitForDebuggerOnStart: false });
      this.#session = s;
    })().catch(() => undefined);
    return this.#ready;
  }

  /** Terminates what runs in worker `threadId` now; false when the worker is not attached (then replace it). */
  async stop(threadId: number): Promise<boolean> {
    await this.start();
    const sessionId = this.#sessions.get(threadId);
    if (!this.#session || !sessionId) return false;
    const message = JSON.stringify({ id: 1, method: 'Runtime.terminateExecution' });
    return this.#session.post('NodeWorker.sendMessageToWorker', { sessionId, message }).then(
      () => true,
      () => false,
    );
  }

  close(): void {
    this.#session?.disconnect();
    this.#session = undefined;
  }
}
