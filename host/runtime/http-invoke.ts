/** Runs a component's `wasi:http/incoming-handler.handle` on a plain request object (worker side). */
import { concatBytes, unversioned } from '../../lattice/pure.ts';
import type { HttpSink } from '../../lattice/index.ts';
import { ComponentError, ComponentErrorCode } from './errors.ts';
import { installStreaming, streamTo } from './http-stream.ts';
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

type Classes = Awaited<ReturnType<typeof requestClasses>>;
let classes: Classes | undefined;
async function loadClasses(): Promise<Classes> {
  await installStreaming();
  return (classes = await requestClasses());
}

/** A response held in the worker past this size streams even before the event loop turns. */
const HOLD_BYTES = 1024 * 1024;

/** True for an operation naming the incoming-handler export (any 0.2.x version). */
export const isHttpHandle = (op: string): boolean => /^wasi:http\/incoming-handler(@0\.2\.\d+)?\.handle$/.test(op);

/** The instance's `wasi:http/incoming-handler.handle` (any 0.2.x version). @throws COMP_NO_SUCH_EXPORT */
export function httpHandlerOf(exports: Record<string, unknown>): (req: unknown, out: unknown) => unknown {
  const key = Object.keys(exports).find((k) => unversioned(k) === 'wasi:http/incoming-handler');
  const handler = (exports[key ?? ''] as { handle?: (r: unknown, o: unknown) => unknown } | undefined)?.handle;
  if (!handler)
    throw new ComponentError(
      ComponentErrorCode.NoSuchExport,
      'the component does not export wasi:http/incoming-handler',
    );
  return handler;
}

/** Where the head and body go (streamed), else collected into the result; `body`: a request body arriving in parts. */
export interface HttpInvokeOptions {
  sink?: HttpSink;
  body?: BodyQueue;
}

/**
 * Calls the handler export with the request. With a `sink`, a response still being written when the event loop
 * turns streams to it from then on, and the result says `streamed`; otherwise the response comes back buffered. A
 * guest that sets an error-code, or returns without a response, answers 500 (not streamed).
 */
export async function invokeHttp(
  handler: (req: unknown, out: unknown) => unknown,
  req: HttpRequestData,
  o: HttpInvokeOptions = {},
): Promise<HttpResponseData> {
  // once loaded, the guest is entered synchronously (no await before `handler`): the watchdog may then stop it
  // (worker-call.ts enters guests in a callback of their own, marked safe to terminate)
  const make = classes ?? (await loadClasses());
  let head: { status: number; headers: [string, string][] } | undefined;
  let failure: unknown;
  const chunks: Uint8Array[] = [];
  const sink = o.sink;
  // with a sink, the response is held until the event loop turns: one that is complete by then (the common case)
  // comes back in the result, in one message; one the guest is still producing streams from then on
  let streaming = false;
  let scheduled = false;
  let held = 0;
  const startStreaming = (): void => {
    if (streaming || !head || !sink) return;
    streaming = true;
    sink.head(head.status, head.headers);
    for (const c of chunks.splice(0)) sink.chunk(c);
  };
  const out = make.outparam();
  streamTo(out, {
    head: (status, headers) => {
      head = { status, headers };
      if (sink && !scheduled) {
        scheduled = true;
        setImmediate(startStreaming);
      }
    },
    chunk: (bytes) => {
      if (streaming) return sink?.chunk(bytes);
      chunks.push(bytes);
      held += bytes.byteLength;
      if (held > HOLD_BYTES) startStreaming(); // a large body does not wait in the worker
    },
    fail: (e) => (failure = e ?? 'error'),
  });
  await handler(make.request(req, o.body ?? BodyQueue.of(req.body)), out);
  if (head && streaming) return { ...head, body: new Uint8Array(0), streamed: true };
  streaming = true; // a late timer does nothing now
  if (head) return { ...head, body: chunks.length === 1 ? (chunks[0] as Uint8Array) : concatBytes(chunks) };
  const why =
    failure === undefined
      ? 'the handler returned without setting its response-outparam'
      : `the handler set an error: ${JSON.stringify(failure, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`;
  return {
    status: 500,
    headers: [['content-type', 'text/plain']],
    body: new TextEncoder().encode(`WASI HTTP handler error: ${why}\n`),
  };
}
