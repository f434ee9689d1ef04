/**
 * Incoming requests for wasi:http handlers, built straight from the request data (no Web `Request` in between),
 * with a body the guest reads as it arrives. Subclasses of preview2-shim's classes, so jco's resource checks
 * accept them next to the shim's other wasi:http types.
 */
import { httpShim, ioShim } from './wasi-imports.ts';

/** A request body as it reaches the worker: chunks pushed in, read by the guest through a wasi:io input-stream. */
export class BodyQueue {
  #chunks: Uint8Array[] = [];
  #done = false;
  #error: string | undefined;
  #waiters: (() => void)[] = [];
  /** Bytes the guest has read (for flow control). */
  consumed = 0;
  /** Called after the guest reads (flow control acknowledgements). */
  onRead?: () => void;

  /** A queue holding a whole body. */
  static of(body: Uint8Array | undefined): BodyQueue {
    const q = new BodyQueue();
    if (body && body.byteLength) q.push(body);
    q.end();
    return q;
  }
  push(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#wake();
  }
  /** The body is complete (or broke off: `error`). */
  end(error?: string): void {
    this.#done = true;
    this.#error = error;
    this.#wake();
  }
  ready(): boolean {
    return this.#chunks.length > 0 || this.#done;
  }
  wait(): Promise<void> {
    return this.ready() ? Promise.resolve() : new Promise((r) => this.#waiters.push(r));
  }
  /** wasi:io `read`: up to `len` bytes, empty when nothing has arrived yet; `closed` at the end. */
  read(len: bigint, ioError: (m: string) => unknown): Uint8Array {
    const first = this.#chunks[0];
    if (!first) {
      if (this.#error !== undefined) throw { tag: 'last-operation-failed', val: ioError(this.#error) };
      if (this.#done) throw { tag: 'closed' };
      return new Uint8Array(0);
    }
    const n = Math.min(Number(len), first.byteLength);
    if (n === first.byteLength) this.#chunks.shift();
    else this.#chunks[0] = first.subarray(n);
    this.consumed += n;
    this.onRead?.();
    return first.subarray(0, n);
  }
  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }
}

/** Acknowledge a streamed body's reads every this many bytes (the main thread keeps a window ahead of them). */
const ACK_BYTES = 256 * 1024;

/** A queue for a body streamed from the main thread: `ack` hears how much the guest has read, every {@link ACK_BYTES}. */
export function ackedBodyQueue(ack: (consumed: number) => void): BodyQueue {
  const q = new BodyQueue();
  let acked = 0;
  q.onRead = () => {
    if (q.consumed - acked < ACK_BYTES) return;
    acked = q.consumed;
    ack(q.consumed);
  };
  return q;
}

/** The request fields a handler sees. */
export interface RequestData {
  method: string;
  url: string;
  headers: [string, string][];
}

type Cls = new (...a: unknown[]) => object;
const METHODS = new Set(['get', 'head', 'post', 'put', 'delete', 'connect', 'options', 'trace', 'patch']);
/** Headers a wasi:http `fields` refuses (the authority carries the host). */
const FORBIDDEN = new Set(['connection', 'keep-alive', 'host']);

async function build(): Promise<{ request(data: RequestData, body: BodyQueue): object; outparam(): object }> {
  const types = (await httpShim())['types'] as Record<string, Cls>;
  const io = await ioShim();
  const inputStreamCreate = io['inputStreamCreate'] as (h: Record<string, unknown>) => unknown;
  const pollableCreate = io['pollableCreate'] as (s: unknown) => unknown;
  const ioError = io['ioErrorCreate'] as (m: string) => unknown;
  const { IncomingRequest, IncomingBody, Fields, ResponseOutparam } = types as Record<string, Cls>;
  const FieldsCls = Fields as new () => { append(k: string, v: Uint8Array): void };
  const enc = new TextEncoder();

  class StreamIncomingBody extends (IncomingBody as Cls) {
    #stream: unknown;
    constructor(q: BodyQueue) {
      super();
      this.#stream = inputStreamCreate({
        read: (len: bigint) => q.read(len, ioError),
        // JSPI suspends the guest on the promise until a chunk (or the end) arrives
        blockingRead: (len: bigint) => (q.ready() ? q.read(len, ioError) : q.wait().then(() => q.read(len, ioError))),
        subscribe: () => pollableCreate({ ready: () => q.ready(), wait: () => q.wait() }),
      });
    }
    stream(): unknown {
      const s = this.#stream;
      if (!s) throw undefined; // WIT `result<input-stream>`: handed out once
      this.#stream = undefined;
      return s;
    }
  }

  class DirectIncomingRequest extends (IncomingRequest as Cls) {
    readonly #d: RequestData;
    readonly #url: URL;
    #headers: object | undefined;
    #body: object | undefined;
    constructor(d: RequestData, q: BodyQueue) {
      super();
      this.#d = d;
      this.#url = new URL(d.url);
      this.#body = new StreamIncomingBody(q);
    }
    method(): { tag: string; val?: string } {
      const m = this.#d.method.toLowerCase();
      return METHODS.has(m) ? { tag: m } : { tag: 'other', val: this.#d.method };
    }
    pathWithQuery(): string {
      return `${this.#url.pathname}${this.#url.search}`;
    }
    scheme(): { tag: string } {
      return { tag: this.#url.protocol === 'https:' ? 'HTTPS' : 'HTTP' };
    }
    authority(): string {
      return this.#url.host;
    }
    headers(): object {
      if (!this.#headers) {
        const f = new FieldsCls();
        for (const [k, v] of this.#d.headers) {
          if (FORBIDDEN.has(k.toLowerCase())) continue;
          try {
            f.append(k, enc.encode(v));
          } catch {
            // a header wasi:http cannot carry (invalid name or value bytes) is left out
          }
        }
        this.#headers = f;
      }
      return this.#headers;
    }
    consume(): object {
      const b = this.#body;
      if (!b) throw undefined; // WIT `result<incoming-body>`: consumed once
      this.#body = undefined;
      return b;
    }
  }

  class DirectOutparam extends (ResponseOutparam as Cls) {}
  return { request: (d, q) => new DirectIncomingRequest(d, q), outparam: () => new DirectOutparam() };
}

let classes: ReturnType<typeof build> | undefined;

/** Makers for incoming requests and response outparams (the classes are built once per worker). */
export function requestClasses(): ReturnType<typeof build> {
  return (classes ??= build());
}
