// Headers, Request and Response for QuickJS: what `export default { fetch(request) }` handlers use. Bodies are whole
// byte arrays (no ReadableStream on QuickJS yet); body readers return promises that are already settled.
import { TextDecoder, TextEncoder } from './text.js';
import { URLSearchParams } from './url.js';

// Internal state lives under symbols, not `#private` fields: the bundle targets ES2016 (see sync-promise.js), where a
// private field becomes a WeakMap lookup through helper calls on every access, which QuickJS interprets slowly.
const MAP = Symbol('headers');
const READ = Symbol('read');
const USED = Symbol('used');
const URL_ = Symbol('url');
const METHOD = Symbol('method');
const HEADERS = Symbol('headers');
const SOURCE = Symbol('lazy');

const encoder = new TextEncoder();
const byName = ([a], [b]) => (a < b ? -1 : 1);

export class Headers {
  constructor(init) {
    this[MAP] = new Map();
    if (init == null) return;
    if (init instanceof Headers) for (const [k, v] of init[MAP]) this[MAP].set(k, v);
    else if (Symbol.iterator in init) for (const [k, v] of init) this.append(k, v);
    else for (const k of Object.keys(init)) this.append(k, init[k]);
  }

  append(k, v) {
    const key = String(k).toLowerCase();
    const prev = this[MAP].get(key);
    this[MAP].set(key, prev === undefined ? String(v) : `${prev}, ${v}`);
  }
  set(k, v) {
    this[MAP].set(String(k).toLowerCase(), String(v));
  }
  get(k) {
    const v = this[MAP].get(String(k).toLowerCase());
    return v === undefined ? null : v;
  }
  has(k) {
    return this[MAP].has(String(k).toLowerCase());
  }
  delete(k) {
    this[MAP].delete(String(k).toLowerCase());
  }
  forEach(f, self) {
    for (const [k, v] of this.entries()) f.call(self, v, k, this);
  }
  entries() {
    return [...this[MAP]].sort(byName)[Symbol.iterator]();
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

/**
 * A response's headers as wasi:http `fields` entries (`[name, bytes]`), in the order they were set (the order does
 * not matter on the wire, and skipping the sort of `entries()` saves a pass per request).
 */
export function fieldEntries(headers) {
  const out = [];
  if (headers instanceof Headers) for (const [k, v] of headers[MAP]) out.push([k, encoder.encode(v)]);
  else for (const [k, v] of new Headers(headers)[MAP]) out.push([k, encoder.encode(v)]);
  return out;
}

/** Any body init → bytes (and the content-type it implies). */
export function bodyBytes(body) {
  if (body == null) return { bytes: undefined };
  if (typeof body === 'string') return { bytes: encoder.encode(body), type: 'text/plain;charset=UTF-8' };
  if (body instanceof Uint8Array) return { bytes: body };
  if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body) };
  if (ArrayBuffer.isView(body)) return { bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  if (body instanceof URLSearchParams)
    return { bytes: encoder.encode(body.toString()), type: 'application/x-www-form-urlencoded' };
  throw new TypeError('weft SDK (QuickJS): a body must be a string, bytes or URLSearchParams (no streams yet)');
}

/** The bytes a body reader gives, `undefined` as empty. */
const orEmpty = (b) => (b === undefined || b === null ? new Uint8Array(0) : b);

class Body {
  constructor(read) {
    this[READ] = read;
    this[USED] = false;
  }

  get bodyUsed() {
    return this[USED];
  }

  /** The body's bytes as a settled promise (once). */
  bytes() {
    if (this[USED]) return Promise.reject(new TypeError('body already used'));
    this[USED] = true;
    try {
      return Promise.resolve(orEmpty(this[READ]()));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  /** The body's bytes now, synchronously (the SDK's fetch(): bodies on QuickJS are byte arrays). */
  takeBytes() {
    if (this[USED]) throw new TypeError('body already used');
    this[USED] = true;
    return orEmpty(this[READ]());
  }
  arrayBuffer() {
    return this.bytes().then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }
  text() {
    return this.bytes().then((b) => new TextDecoder().decode(b));
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
  constructor(input, init = {}) {
    const lazy = init[LAZY];
    if (lazy) {
      super(init.readBody);
      this[SOURCE] = lazy;
      return;
    }
    const from = input instanceof Request ? input : undefined;
    const { bytes } = bodyBytes(init.body);
    super(init.readBody ?? (() => bytes));
    this[URL_] = from ? from.url : String(input);
    this[METHOD] = String(init.method ?? from?.method ?? 'GET').toUpperCase();
    this[HEADERS] = new Headers(init.headers ?? from?.headers);
  }

  get url() {
    return (this[URL_] ??= this[SOURCE].url());
  }
  get method() {
    return (this[METHOD] ??= this[SOURCE].method());
  }
  get headers() {
    return (this[HEADERS] ??= new Headers(this[SOURCE].headers()));
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
