/**
 * The one hold-or-stream decision of an HTTP response made in a guest worker: `invokeHttp` holds the response until
 * the event loop turns (or 1 MiB piles up); one complete by then is the answer's whole `body`, one still being
 * written becomes a streaming body from the moment its head goes to the sink.
 */
import type { HttpAnswer, HttpSink } from '../../lattice/index.ts';
import type { HttpResponseData } from './http-invoke.ts';
import type { Outcome } from './worker-host-calls.ts';

/** A body written by the guest and read by the server: chunks queue until read (the guest is never paused). */
class BodyStream implements AsyncIterable<Uint8Array> {
  #chunks: Uint8Array[] = [];
  #done = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;

  push(c: Uint8Array): void {
    this.#chunks.push(c);
    this.#wake?.();
  }
  end(error?: Error): void {
    this.#done = true;
    this.#error = error;
    this.#wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      const c = this.#chunks.shift();
      if (c) yield c;
      else if (this.#error) throw this.#error;
      else if (this.#done) return;
      else await new Promise<void>((r) => (this.#wake = r));
    }
  }
}

/** A coded error of a failed call. */
const failure = (o: Extract<Outcome, { ok: false }>): Error => Object.assign(new Error(o.message), { code: o.code });

/** The sink a call's response streams to, `finish` for its outcome, and the answer (settled at the head or the end). */
export function answerOf(): { sink: HttpSink; finish: (o: Outcome) => void; answer: Promise<HttpAnswer> } {
  let resolve!: (a: HttpAnswer) => void;
  let reject!: (e: Error) => void;
  const answer = new Promise<HttpAnswer>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  let stream: BodyStream | undefined;
  return {
    answer,
    sink: {
      head: (status, headers) => {
        stream = new BodyStream();
        resolve({ status, headers, body: stream });
      },
      chunk: (bytes) => stream?.push(bytes),
    },
    finish: (o) => {
      if (stream) return stream.end(o.ok ? undefined : failure(o));
      if (!o.ok) return reject(failure(o));
      const r = o.value as HttpResponseData;
      resolve({ status: r.status, headers: r.headers, body: r.body });
    },
  };
}
