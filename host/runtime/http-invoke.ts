/** Runs a component's `wasi:http/incoming-handler.handle` on a plain request object (worker side). */
import { installStreaming, streamTo } from './http-stream.ts';
import type { ResponseSink } from './http-stream.ts';
import { BodyQueue, requestClasses } from './http-request.ts';

/** An HTTP request as it crosses threads and the lattice (msgpack-friendly). */
export interface HttpRequestData {
  method: string;
  url: string;
  headers: [string, string][];
  body?: Uint8Array;
}

/** An HTTP response as it crosses threads and the lattice. `streamed`: head and body already went to the sink. */
export interface HttpResponseData {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  streamed?: boolean;
}

/** True for an operation naming the incoming-handler export (any 0.2.x version). */
export const isHttpHandle = (op: string): boolean => /^wasi:http\/incoming-handler(@0\.2\.\d+)?\.handle$/.test(op);

/** The instance's `wasi:http/incoming-handler.handle` (any 0.2.x version). @throws COMP_NO_SUCH_EXPORT */
export function httpHandlerOf(exports: Record<string, unknown>): (req: unknown, out: unknown) => unknown {
  const key = Object.keys(exports).find((k) => k.replace(/@[^/]*$/, '') === 'wasi:http/incoming-handler');
  const handler = (exports[key ?? ''] as { handle?: (r: unknown, o: unknown) => unknown } | undefined)?.handle;
  if (!handler) throw Object.assign(new Error('the component does not export wasi:http/incoming-handler'), { code: 'COMP_NO_SUCH_EXPORT' });
  return handler;
}

/** Where the head and body go (streamed), else collected into the result; `body`: a request body arriving in parts. */
export interface HttpInvokeOptions {
  sink?: Omit<ResponseSink, 'fail'>;
  body?: BodyQueue;
}

/**
 * Calls the handler export with the request. With a `sink`, the response streams to it as the guest writes it and
 * the result says `streamed`; without, the response comes back buffered. A guest that sets an error-code, or
 * returns without a response, answers 500 (not streamed).
 */
export async function invokeHttp(handler: (req: unknown, out: unknown) => unknown, req: HttpRequestData, o: HttpInvokeOptions = {}): Promise<HttpResponseData> {
  await installStreaming();
  const make = await requestClasses();
  let head: { status: number; headers: [string, string][] } | undefined;
  let failure: unknown;
  const chunks: Uint8Array[] = [];
  const sink = o.sink;
  const out = make.outparam();
  streamTo(out, {
    head: (status, headers) => {
      head = { status, headers };
      sink?.head(status, headers);
    },
    chunk: (bytes) => (sink ? sink.chunk(bytes) : chunks.push(bytes)),
    fail: (e) => (failure = e ?? 'error'),
  });
  await handler(make.request(req, o.body ?? BodyQueue.of(req.body)), out);
  if (head) return { ...head, body: sink ? new Uint8Array(0) : concat(chunks), streamed: Boolean(sink) };
  const why = failure === undefined ? 'the handler returned without setting its response-outparam' : `the handler set an error: ${JSON.stringify(failure, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`;
  return { status: 500, headers: [['content-type', 'text/plain']], body: new TextEncoder().encode(`WASI HTTP handler error: ${why}\n`) };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
