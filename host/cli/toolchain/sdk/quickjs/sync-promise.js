// A Promise whose callbacks run as soon as it settles. QuickJS components built for a preview-2 host run each call to
// completion with no job queue drained in between, so a native promise chain never settles inside the call. The
// build lowers async functions to generators (rolldown, target es2016) that use the global Promise, and this file
// replaces that global: an `await` on a value that is already there (every WIT import is a blocking call) continues at
// once. A handler that waits on something that never settles within the call gets a clear 500 from the SDK instead.
const PENDING = 0;
const FULFILLED = 1;
const REJECTED = 2;
// state under symbols, not `#private` fields: the bundle targets ES2016, where those become WeakMap lookups
const STATE = Symbol('state');
const VALUE = Symbol('value');
const CALLBACKS = Symbol('callbacks');
const RESOLVE = Symbol('resolve');
const SETTLE = Symbol('settle');

export class SyncPromise {
  constructor(executor) {
    this[STATE] = PENDING;
    this[VALUE] = undefined;
    this[CALLBACKS] = undefined;
    let done = false;
    const resolve = (v) => {
      if (!done) ((done = true), this[RESOLVE](v));
    };
    const reject = (e) => {
      if (!done) ((done = true), this[SETTLE](REJECTED, e));
    };
    try {
      executor(resolve, reject);
    } catch (e) {
      reject(e);
    }
  }

  [RESOLVE](v) {
    if (v === this) return this[SETTLE](REJECTED, new TypeError('a promise cannot resolve to itself'));
    if (v !== null && (typeof v === 'object' || typeof v === 'function')) {
      let then;
      try {
        then = v.then;
      } catch (e) {
        return this[SETTLE](REJECTED, e);
      }
      if (typeof then === 'function') {
        let called = false;
        try {
          then.call(
            v,
            (x) => called || ((called = true), this[RESOLVE](x)),
            (e) => called || ((called = true), this[SETTLE](REJECTED, e)),
          );
        } catch (e) {
          if (!called) this[SETTLE](REJECTED, e);
        }
        return;
      }
    }
    this[SETTLE](FULFILLED, v);
  }

  [SETTLE](state, value) {
    if (this[STATE] !== PENDING) return;
    this[STATE] = state;
    this[VALUE] = value;
    const cbs = this[CALLBACKS];
    this[CALLBACKS] = undefined;
    if (cbs) for (const cb of cbs) cb();
  }

  then(onFulfilled, onRejected) {
    return new SyncPromise((resolve, reject) => {
      const run = () => {
        const f = this[STATE] === FULFILLED ? onFulfilled : onRejected;
        if (typeof f !== 'function') return (this[STATE] === FULFILLED ? resolve : reject)(this[VALUE]);
        try {
          resolve(f(this[VALUE]));
        } catch (e) {
          reject(e);
        }
      };
      if (this[STATE] === PENDING) (this[CALLBACKS] ??= []).push(run);
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
    return { state: ['pending', 'fulfilled', 'rejected'][p[STATE]], value: p[VALUE] };
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
