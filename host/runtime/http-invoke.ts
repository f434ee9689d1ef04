/** Runs a component's `wasi:http/incoming-handler.handle` on a plain request object (worker side). */
import { httpShim } from './wasi-imports.ts';
import { installStreaming, streamTo } from './http-stream.ts';
import type { ResponseSink } from './http-stream.ts';

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

/**
 * Calls the handler export with the request. With a `sink`, the response streams to it as the guest writes it and
 * the result says `streamed`; without, the response comes back buffered.
 */
export async function invokeHttp(handler: (req: unknown, out: unknown) => unknown, req: HttpRequestData, sink?: ResponseSink): Promise<HttpResponseData> {
  await installStreaming();
  const http = await httpShim();
  const handle = http['handleIncomingRequest'] as (r: Request, h: (req: unknown, out: unknown) => Promise<void>) => Promise<Response>;
  const hasBody = req.body && req.body.length > 0 && req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(req.url, { method: req.method, headers: req.headers, body: hasBody ? (req.body as Uint8Array<ArrayBuffer>) : undefined });
  let head: { status: number; headers: [string, string][] } | undefined;
  const chunks: Uint8Array[] = [];
  const collect: ResponseSink = {
    head: (status, headers) => {
      head = { status, headers };
      sink?.head(status, headers);
    },
    chunk: (bytes) => (sink ? sink.chunk(bytes) : chunks.push(bytes)),
  };
  const res = await handle(request, async (r, out) => {
    streamTo(out as object, collect);
    await handler(r, out);
  });
  if (head) return { ...head, body: sink ? new Uint8Array(0) : concat(chunks), streamed: Boolean(sink) };
  // the guest set an error (the shim's 500) or no response: as the shim built it
  const headers: [string, string][] = [];
  res.headers.forEach((v, k) => headers.push([k, v]));
  return { status: res.status, headers, body: new Uint8Array(await res.arrayBuffer()) };
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
