// A Promise whose callbacks run as soon as it settles. QuickJS components built for a preview-2 host run each call to
// completion with no job queue drained in between, so a native promise chain never settles inside the call. The
// build lowers async functions to generators (rolldown, target es2016) that use the global Promise, and this file
// replaces that global: an `await` on a value that is already there (every WIT import is a blocking call) continues at
// once. A handler that waits on something that never settles within the call gets a clear 500 from the SDK instead.
const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;

export class SyncPromise {
  #state = PENDING;
  #value = undefined;
  #callbacks = [];

  constructor(executor) {
    let done = false;
    const resolve = (v) => {
      if (!done) ((done = true), this.#resolve(v));
    };
    const reject = (e) => {
      if (!done) ((done = true), this.#settle(REJECTED, e));
    };
    try {
      executor(resolve, reject);
    } catch (e) {
      reject(e);
    }
  }

  #resolve(v) {
    if (v === this) return this.#settle(REJECTED, new TypeError('a promise cannot resolve to itself'));
    if (v !== null && (typeof v === 'object' || typeof v === 'function')) {
      let then;
      try {
        then = v.then;
      } catch (e) {
        return this.#settle(REJECTED, e);
      }
      if (typeof then === 'function') {
        let called = false;
        try {
          then.call(
            v,
            (x) => called || ((called = true), this.#resolve(x)),
            (e) => called || ((called = true), this.#settle(REJECTED, e)),
          );
        } catch (e) {
          if (!called) this.#settle(REJECTED, e);
        }
        return;
      }
    }
    this.#settle(FULFILLED, v);
  }

  #settle(state, value) {
    if (this.#state !== PENDING) return;
    this.#state = state;
    this.#value = value;
    const cbs = this.#callbacks;
    this.#callbacks = [];
    for (const cb of cbs) cb();
  }

  then(onFulfilled, onRejected) {
    return new SyncPromise((resolve, reject) => {
      const run = () => {
        const f = this.#state === FULFILLED ? onFulfilled : onRejected;
        if (typeof f !== 'function') return (this.#state === FULFILLED ? resolve : reject)(this.#value);
        try {
          resolve(f(this.#value));
        } catch (e) {
          reject(e);
        }
      };
      if (this.#state === PENDING) this.#callbacks.push(run);
      else run();
    });
  }

  catch(onRejected) {
    return this.then(undefined, onRejected);
  }

  finally(f) {
    return this.then(
      (v) => SyncPromise.resolve(f()).then(() => v),
      (e) =>
        SyncPromise.resolve(f()).then(() => {
          throw e;
        }),
    );
  }

  /** The outcome so far: `{ state: 'pending' | 'fulfilled' | 'rejected', value }` (what the SDK reads after a call). */
  static inspect(p) {
    if (!(p instanceof SyncPromise)) return { state: 'fulfilled', value: p };
    return { state: ['pending', 'fulfilled', 'rejected'][p.#state], value: p.#value };
  }

  static resolve(v) {
    return v instanceof SyncPromise ? v : new SyncPromise((r) => r(v));
  }

  static reject(e) {
    return new SyncPromise((_, r) => r(e));
  }

  static all(items) {
    return new SyncPromise((resolve, reject) => {
      const list = [...items];
      const out = new Array(list.length);
      let left = list.length;
      if (!left) resolve(out);
      list.forEach((p, i) =>
        SyncPromise.resolve(p).then((v) => {
          out[i] = v;
          if (--left === 0) resolve(out);
        }, reject),
      );
    });
  }

  static allSettled(items) {
    return SyncPromise.all(
      [...items].map((p) =>
        SyncPromise.resolve(p).then(
          (value) => ({ status: 'fulfilled', value }),
          (reason) => ({ status: 'rejected', reason }),
        ),
      ),
    );
  }

  static race(items) {
    return new SyncPromise((resolve, reject) => {
      for (const p of items) SyncPromise.resolve(p).then(resolve, reject);
    });
  }

  static any(items) {
    return new SyncPromise((resolve, reject) => {
      const list = [...items];
      const errors = [];
      let left = list.length;
      if (!left) reject(new AggregateError([], 'all promises were rejected'));
      list.forEach((p, i) =>
        SyncPromise.resolve(p).then(resolve, (e) => {
          errors[i] = e;
          if (--left === 0) reject(new AggregateError(errors, 'all promises were rejected'));
        }),
      );
    });
  }

  static withResolvers() {
    let resolve, reject;
    const promise = new SyncPromise((a, b) => ((resolve = a), (reject = b)));
    return { promise, resolve, reject };
  }
}

globalThis.Promise = SyncPromise;
