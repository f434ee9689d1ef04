// Imported first by every QuickJS actor bundle: the web globals the engine lacks, a synchronous Promise (see
// sync-promise.js) and `addEventListener('fetch', …)` for actors written for StarlingMonkey.
import { SyncPromise } from './sync-promise.js';
import { TextDecoder, TextEncoder } from './text.js';
import { URL, URLSearchParams } from './url.js';
import { Headers, Request, Response } from './fetch-types.js';

const g = globalThis;
Object.assign(g, { TextEncoder, TextDecoder, URL, URLSearchParams, Headers, Request, Response });
g.console ??= { log() {}, info() {}, warn() {}, error() {}, debug() {} };

/** The fetch listeners added with addEventListener (the SDK's HTTP adapter calls the first). */
export const fetchListeners = [];
g.addEventListener = (type, listener) => {
  if (type === 'fetch') fetchListeners.push(listener);
};

/** The value of a handler's result: its outcome when it is a promise that settled during the call. */
export function settled(value, what) {
  // a plain value (a handler that is not async) needs no promise around it
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  if (!(value instanceof SyncPromise) && typeof value.then !== 'function') return value;
  const { state, value: v } = SyncPromise.inspect(SyncPromise.resolve(value));
  if (state === 'rejected') throw v;
  if (state === 'pending')
    throw new Error(`${what} did not finish within the call (QuickJS actors have no event loop: await only WIT calls)`);
  return v;
}
