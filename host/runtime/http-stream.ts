/**
 * Streaming wasi:http responses out of a guest worker: the head (status, headers) is sent when the guest sets its
 * response-outparam, and each body write as it happens, instead of after `outgoing-body.finish`.
 *
 * preview2-shim's wasi:http types buffer a response body in private fields, so its response classes are extended
 * here, inside guest workers only: every `outgoing-response.body()` is a {@link StreamingBody} (a subclass, so
 * jco's resource checks accept it), and `response-outparam.set` / `outgoing-body.finish` serve the outparams that
 * have a sink (all of ours: a buffered answer is a sink that collects).
 */
import type { HttpSink } from '../../lattice/index.ts';
import { httpShim, ioShim } from './wasi-imports.ts';

/** Where a response goes as the guest makes it (the worker posts it to the main thread, or collects it). */
export interface ResponseSink extends HttpSink {
  /** The guest set an error-code instead of a response. */
  fail(error: unknown): void;
}

type Cls = new (...a: unknown[]) => object;
/** A class's static side, to wrap its static methods. */
const statics = (c: Cls): Record<string, unknown> => c as unknown as Record<string, unknown>;
interface Fields {
  entries(): [string, Uint8Array][];
}
interface OutgoingResponse {
  statusCode(): number;
  headers(): Fields;
}

/** Outparams whose response streams, and to where; and those already set. */
const sinks = new WeakMap<object, ResponseSink>();
const used = new WeakSet<object>();
/** The streaming body of each response whose `body()` was taken. */
const bodies = new WeakMap<object, { attach(sink: ResponseSink): void; end(): void }>();
let patched: Promise<void> | undefined;
const decoder = new TextDecoder();

async function patch(): Promise<void> {
  const types = (await httpShim())['types'] as Record<string, Cls>;
  const io = await ioShim();
  const outputStreamCreate = io['outputStreamCreate'] as (h: Record<string, unknown>) => unknown;
  const {
    OutgoingBody,
    OutgoingResponse: Response,
    ResponseOutparam,
  } = types as { OutgoingBody: Cls; OutgoingResponse: Cls; ResponseOutparam: Cls };

  /**
   * An outgoing-body whose writes go to a sink (held until the response is set, then passed on at once). `inner` is
   * the shim's own body of the response, finished with it so the shim's response promise settles (empty).
   */
  class StreamingBody extends OutgoingBody {
    readonly inner: unknown;
    #sink: ResponseSink | undefined;
    #held: Uint8Array[] = [];
    #stream: unknown;
    constructor(inner: unknown) {
      super();
      this.inner = inner;
      this.#stream = outputStreamCreate({
        write: (buf: Uint8Array) => {
          const copy = buf.slice();
          if (this.#sink) this.#sink.chunk(copy);
          else this.#held.push(copy);
        },
        blockingFlush: () => undefined,
      });
    }
    write(): unknown {
      const s = this.#stream;
      if (!s) throw undefined; // WIT: `result<output-stream>`, the stream is handed out once
      this.#stream = undefined;
      return s;
    }
    attach(sink: ResponseSink): void {
      this.#sink = sink;
      for (const c of this.#held) sink.chunk(c);
      this.#held = [];
    }
    end(): void {
      this.#sink = undefined;
    }
  }

  const proto = Response.prototype as Record<string, unknown>;
  const body = proto['body'] as (this: object) => unknown;
  proto['body'] = function (this: object): unknown {
    const b = new StreamingBody(body.call(this)); // the shim's body: its one-body-only check, and finished with ours
    bodies.set(this, b);
    return b;
  };
  const finish = statics(OutgoingBody)['finish'] as (b: unknown, t: unknown) => unknown;
  statics(OutgoingBody)['finish'] = (b: unknown, trailers: unknown): unknown => {
    const r = finish.call(OutgoingBody, b, trailers);
    if (b instanceof StreamingBody) {
      b.end();
      finish.call(OutgoingBody, b.inner, undefined);
    }
    return r;
  };
  const set = statics(ResponseOutparam)['set'] as (p: object, r: { tag: string; val: unknown }) => void;
  statics(ResponseOutparam)['set'] = (param: object, response: { tag: string; val: unknown }): void => {
    const sink = sinks.get(param);
    if (!sink) return set.call(ResponseOutparam, param, response);
    if (used.has(param)) throw new Error('response outparam already set');
    used.add(param);
    if (response.tag !== 'ok') return sink.fail(response.val);
    const res = response.val as OutgoingResponse;
    sink.head(
      res.statusCode(),
      res
        .headers()
        .entries()
        .map(([k, v]) => [k, decoder.decode(v)]),
    );
    bodies.get(res)?.attach(sink);
  };
}

/** Installs the streaming response classes (once per worker). */
export function installStreaming(): Promise<void> {
  return (patched ??= patch());
}

/** From now on, a response set on `outparam` streams to `sink`. */
export function streamTo(outparam: object, sink: ResponseSink): void {
  sinks.set(outparam, sink);
}
