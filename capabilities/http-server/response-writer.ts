import type { ServerResponse } from 'node:http';
import type { HttpSink } from '../sdk/index.ts';

/** Held back before going out as a stream (a response this small that is complete goes out in one write). */
const HOLD_BYTES = 64 * 1024;

/**
 * Writes a guest's response as it streams in. The head and first chunks are held until the event loop turns or
 * {@link HOLD_BYTES} pile up: a response that arrives whole (the common case) goes out as one write with its
 * `content-length`; one the guest is still producing goes out chunked as it comes.
 */
export class ResponseWriter implements HttpSink {
  readonly #res: ServerResponse;
  #head: { status: number; headers: [string, string][] } | undefined;
  #held: Uint8Array[] = [];
  #size = 0;
  #scheduled = false;
  #live = false;
  #done = false;

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  head(status: number, headers: [string, string][]): void {
    if (this.#done) return;
    this.#head = { status, headers: withoutLength(headers) };
    this.#schedule();
  }

  chunk(bytes: Uint8Array): void {
    if (this.#done) return;
    if (this.#live) return void this.#res.write(bytes);
    this.#held.push(bytes);
    this.#size += bytes.byteLength;
    if (this.#size >= HOLD_BYTES) this.#flush();
    else this.#schedule();
  }

  /** The guest is done: what is held goes out whole, with its length; a live stream ends. */
  end(): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#live) return void this.#res.end();
    const head = this.#head ?? { status: 200, headers: [] };
    this.#res.writeHead(head.status, [...head.headers, ['content-length', String(this.#size)]]);
    this.#res.end(this.#held.length === 1 ? this.#held[0] : Buffer.concat(this.#held));
  }

  /** The call failed or timed out: nothing more from the guest goes out (what is held is dropped). */
  abandon(): void {
    this.#done = true;
    this.#held = [];
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    if (this.#live || this.#done || !this.#head || this.#res.destroyed) return;
    this.#live = true;
    this.#res.writeHead(this.#head.status, this.#head.headers);
    for (const c of this.#held) this.#res.write(c);
    this.#held = [];
  }
}

/** A guest's own content-length is not trusted: Node sets it (whole) or chunks the body (streamed). */
export const withoutLength = (h: [string, string][]): [string, string][] =>
  h.filter(([k]) => k.toLowerCase() !== 'content-length');
