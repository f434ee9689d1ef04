// Headers, Request and Response for QuickJS: what `export default { fetch(request) }` handlers use. Bodies are whole
// byte arrays (no ReadableStream on QuickJS yet); body readers return promises that are already settled.
import { TextDecoder, TextEncoder } from './text.js';
import { URLSearchParams } from './url.js';

export class Headers {
  #map = new Map();

  constructor(init) {
    if (init instanceof Headers) init.forEach((v, k) => this.append(k, v));
    else if (init) for (const [k, v] of Symbol.iterator in init ? init : Object.entries(init)) this.append(k, v);
  }

  append(k, v) {
    const key = String(k).toLowerCase();
    const prev = this.#map.get(key);
    this.#map.set(key, prev === undefined ? String(v) : `${prev}, ${v}`);
  }
  set(k, v) {
    this.#map.set(String(k).toLowerCase(), String(v));
  }
  get(k) {
    return this.#map.get(String(k).toLowerCase()) ?? null;
  }
  has(k) {
    return this.#map.has(String(k).toLowerCase());
  }
  delete(k) {
    this.#map.delete(String(k).toLowerCase());
  }
  forEach(f, self) {
    for (const [k, v] of this.entries()) f.call(self, v, k, this);
  }
  entries() {
    return [...this.#map.entries()].sort(([a], [b]) => (a < b ? -1 : 1))[Symbol.iterator]();
  }
  keys() {
    return [...this.entries()].map(([k]) => k)[Symbol.iterator]();
  }
  values() {
    return [...this.entries()].map(([, v]) => v)[Symbol.iterator]();
  }
  [Symbol.iterator]() {
    return this.entries();
  }
}

/** Any body init → bytes (and the content-type it implies). */
export function bodyBytes(body) {
  if (body == null) return { bytes: undefined };
  if (typeof body === 'string') return { bytes: new TextEncoder().encode(body), type: 'text/plain;charset=UTF-8' };
  if (body instanceof Uint8Array) return { bytes: body };
  if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body) };
  if (ArrayBuffer.isView(body)) return { bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  if (body instanceof URLSearchParams)
    return { bytes: new TextEncoder().encode(body.toString()), type: 'application/x-www-form-urlencoded' };
  throw new TypeError('weft SDK (QuickJS): a body must be a string, bytes or URLSearchParams (no streams yet)');
}

class Body {
  #read;
  #used = false;

  constructor(read) {
    this.#read = read;
  }

  get bodyUsed() {
    return this.#used;
  }

  #take() {
    if (this.#used) return Promise.reject(new TypeError('body already used'));
    this.#used = true;
    try {
      return Promise.resolve(this.#read() ?? new Uint8Array(0));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  bytes() {
    return this.#take();
  }
  /** The body's bytes now, synchronously (the SDK's fetch(): bodies on QuickJS are byte arrays). */
  takeBytes() {
    if (this.#used) throw new TypeError('body already used');
    this.#used = true;
    return this.#read() ?? new Uint8Array(0);
  }
  arrayBuffer() {
    return this.#take().then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }
  text() {
    return this.#take().then((b) => new TextDecoder().decode(b));
  }
  json() {
    return this.text().then((t) => JSON.parse(t));
  }
}

/**
 * Passed as `init[LAZY]` by the SDK's HTTP adapter: `{ url(), method(), headers() }`, each called on first use, so a
 * handler that never reads the URL or the headers makes none of the wasi:http calls behind them (each call into the
 * host costs tens of µs of component glue per request).
 */
export const LAZY = Symbol('weft.lazyRequest');

export class Request extends Body {
  #url;
  #method;
  #headers;
  #lazy;

  constructor(input, init = {}) {
    const from = input instanceof Request ? input : undefined;
    const { bytes } = bodyBytes(init.body);
    super(init.readBody ?? (() => bytes));
    this.#lazy = init[LAZY];
    if (this.#lazy) return;
    this.#url = from ? from.url : String(input);
    this.#method = String(init.method ?? from?.method ?? 'GET').toUpperCase();
    this.#headers = new Headers(init.headers ?? from?.headers);
  }

  get url() {
    return (this.#url ??= this.#lazy.url());
  }
  get method() {
    return (this.#method ??= this.#lazy.method());
  }
  get headers() {
    return (this.#headers ??= new Headers(this.#lazy.headers()));
  }
}

export class Response extends Body {
  constructor(body = null, init = {}) {
    const { bytes, type } = bodyBytes(body);
    super(() => bytes);
    this.status = init.status ?? 200;
    if (!Number.isInteger(this.status) || this.status < 200 || this.status > 599)
      throw new RangeError(`Response status ${this.status} is outside 200-599`);
    this.statusText = init.statusText ?? '';
    this.headers = new Headers(init.headers);
    if (type && !this.headers.has('content-type')) this.headers.set('content-type', type);
    this.bodyBytes = bytes;
  }

  get ok() {
    return this.status >= 200 && this.status < 300;
  }

  static json(data, init = {}) {
    const headers = new Headers(init.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new Response(JSON.stringify(data), { ...init, headers });
  }

  static redirect(url, status = 302) {
    return new Response(null, { status, headers: { location: String(url) } });
  }
}
