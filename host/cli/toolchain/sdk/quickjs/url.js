// URL and URLSearchParams for QuickJS: absolute http(s) URLs as wasi:http requests carry them (no relative
// resolution, no IDNA, no percent-encoding normalisation).
const dec = (s) => decodeURIComponent(s.replace(/\+/g, ' '));
const enc = (s) => encodeURIComponent(s).replace(/%20/g, '+');
/** The pairs, under a symbol: the bundle targets ES2016, where a `#private` field becomes a WeakMap lookup. */
const LIST = Symbol('list');

export class URLSearchParams {
  constructor(init = '') {
    this[LIST] = [];
    if (typeof init === 'string') {
      for (const part of init.replace(/^\?/, '').split('&')) {
        if (!part) continue;
        const i = part.indexOf('=');
        this[LIST].push(i < 0 ? [dec(part), ''] : [dec(part.slice(0, i)), dec(part.slice(i + 1))]);
      }
    } else if (init) for (const [k, v] of Symbol.iterator in init ? init : Object.entries(init)) this.append(k, v);
  }

  append(k, v) {
    this[LIST].push([String(k), String(v)]);
  }
  delete(k) {
    this[LIST] = this[LIST].filter(([n]) => n !== k);
  }
  get(k) {
    return this[LIST].find(([n]) => n === k)?.[1] ?? null;
  }
  getAll(k) {
    return this[LIST].filter(([n]) => n === k).map(([, v]) => v);
  }
  has(k) {
    return this[LIST].some(([n]) => n === k);
  }
  set(k, v) {
    const i = this[LIST].findIndex(([n]) => n === k);
    this.delete(k);
    this[LIST].splice(i < 0 ? this[LIST].length : i, 0, [String(k), String(v)]);
  }
  forEach(f, self) {
    for (const [k, v] of this[LIST]) f.call(self, v, k, this);
  }
  keys() {
    return this[LIST].map(([k]) => k)[Symbol.iterator]();
  }
  values() {
    return this[LIST].map(([, v]) => v)[Symbol.iterator]();
  }
  entries() {
    return this[LIST].map((e) => [...e])[Symbol.iterator]();
  }
  [Symbol.iterator]() {
    return this.entries();
  }
  get size() {
    return this[LIST].length;
  }
  toString() {
    return this[LIST].map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  }
}

const URL_RE = /^([a-z][a-z0-9+.-]*:)\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/i;

export class URL {
  constructor(input, base) {
    let s = String(input);
    if (!URL_RE.test(s) && base !== undefined) {
      const b = new URL(base);
      s = s.startsWith('/') ? `${b.origin}${s}` : `${b.origin}${b.pathname.replace(/[^/]*$/, '')}${s}`;
    }
    const m = URL_RE.exec(s);
    if (!m) throw new TypeError(`Invalid URL: ${s}`);
    this.protocol = m[1].toLowerCase();
    this.host = m[2].replace(/^[^@]*@/, '').toLowerCase();
    this.pathname = m[3] || '/';
    this.searchParams = new URLSearchParams(m[4] ?? '');
    this.hash = m[5] ?? '';
  }

  get hostname() {
    return this.host.replace(/:\d+$/, '');
  }
  get port() {
    return /:(\d+)$/.exec(this.host)?.[1] ?? '';
  }
  get origin() {
    return `${this.protocol}//${this.host}`;
  }
  get search() {
    const q = this.searchParams.toString();
    return q ? `?${q}` : '';
  }
  set search(q) {
    this.searchParams = new URLSearchParams(String(q));
  }
  get href() {
    return `${this.origin}${this.pathname}${this.search}${this.hash}`;
  }
  toString() {
    return this.href;
  }
  toJSON() {
    return this.href;
  }
}
