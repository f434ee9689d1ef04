/**
 * One HTTP request, from the Node request to the answer on the wire, the same in a guest worker and on the main
 * thread: the Host check, the route, the body limit, the link's `timeout_ms`, and the mapping of a failed call to a
 * status (400, 404, 413, 500, 503 with `retry-after`, 504).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorCodeOf, isBusy, isTimeout, RemoteErrorCode } from '../../lattice/index.ts';
import type { HttpAnswer, HttpHandler, HttpRequestHead } from '../../lattice/index.ts';
import { withoutLength } from './response-writer.ts';
import { authorityOf, hostnameOf, pickRoute } from './routes.ts';
import type { Route } from './routes.ts';

/** Logs of a request that failed. */
export type WarnLog = (obj: Record<string, unknown>, msg: string) => void;

/** The route of a request, or `undefined` once it has been answered (400 bad Host, 404, 413 declared length). */
export function routeFor(req: IncomingMessage, res: ServerResponse, routes: Route[]): Route | undefined {
  if (req.headers.host !== undefined && !hostnameOf(req.headers.host)) return void plain(res, 400, 'bad Host header\n');
  const route = pickRoute(routes, req.headers.host, (req.url ?? '/').split('?')[0] ?? '/');
  if (!route) return void plain(res, 404, 'no component is linked for this path or host\n');
  if (Number(req.headers['content-length'] ?? 0) > route.maxBodyBytes) return void tooLarge(res, route);
  return route;
}

/** The request as the guest sees it: the URL's authority is the route's host or the listener's address, never an unchecked Host. */
export function headOf(req: IncomingMessage, route: Route): HttpRequestHead {
  const headers: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    headers.push([req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '']);
  return {
    method: req.method ?? 'GET',
    url: `http://${authorityOf(route, req.headers.host)}${req.url ?? '/'}`,
    headers,
  };
}

/** Whether the request has a body to stream (declared or chunked). */
export const hasBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/** W3C trace context: a caller's traceparent is continued; the host starts a new trace otherwise. */
export const traceparentOf = (req: IncomingMessage): string | undefined =>
  typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined;

/** Serves one request through `handle` (the seam into the guest): route, call within the link's timeout, answer. */
export async function serveRequest(
  req: IncomingMessage,
  res: ServerResponse,
  routes: Route[],
  handle: HttpHandler,
  warn: WarnLog,
): Promise<void> {
  const route = routeFor(req, res, routes);
  if (!route) return;
  const state = { over: false };
  const body = hasBody(req) ? capped(req, route.maxBodyBytes, state) : undefined;
  const deadline = route.timeoutMs ? Date.now() + route.timeoutMs : undefined;
  try {
    const call = handle(route.target, headOf(req, route), body, {
      timeoutMs: route.timeoutMs,
      traceparent: traceparentOf(req),
    });
    const out = await (route.timeoutMs ? within(call, route.timeoutMs, route.target) : call);
    if (state.over) throw bodyTooLarge(route);
    await writeAnswer(res, out, deadline);
    if (state.over) throw bodyTooLarge(route);
  } catch (err) {
    if (state.over && !res.headersSent) return void tooLarge(res, route);
    failed(res, route, err, warn);
  }
}

/** A whole body goes out in one write with its length; a streaming one chunked, each part as it comes (past the deadline: cut). */
async function writeAnswer(res: ServerResponse, out: HttpAnswer, deadline: number | undefined): Promise<void> {
  if (out.body instanceof Uint8Array) {
    res.writeHead(out.status, [...withoutLength(out.headers), ['content-length', String(out.body.byteLength)]]);
    return void res.end(out.body);
  }
  res.writeHead(out.status, withoutLength(out.headers));
  const it = out.body[Symbol.asyncIterator]();
  const late = deadline
    ? setTimeout(() => res.destroy(new Error('past the link timeout_ms')), Math.max(deadline - Date.now(), 0))
    : undefined;
  try {
    for (;;) {
      const next = await it.next();
      if (next.done) break;
      if (res.destroyed) throw new Error('the client went away');
      if (!res.write(next.value)) await new Promise((r) => res.once('drain', r).once('close', r));
    }
    res.end();
  } catch (err) {
    void it.return?.();
    throw err;
  } finally {
    clearTimeout(late);
  }
}

/** A failed call: a coded status when nothing went out yet, else the connection is cut (the client sees it incomplete). */
export function failed(res: ServerResponse, route: Route, err: unknown, warn: WarnLog): void {
  const e = err as Error & { code?: string };
  const timeout = isTimeout(e);
  warn({ component_id: route.target, code: e.code, err: e.message }, 'http handler failed');
  if (res.headersSent) return void res.destroy();
  if (errorCodeOf(e) === RemoteErrorCode.BodyTooLarge)
    return void res.writeHead(413, { 'content-type': 'text/plain' }).end(`request body too large: ${e.message}\n`);
  if (isBusy(e))
    return void res
      .writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' })
      .end(`host busy: [${RemoteErrorCode.GuestBusy}]\n`);
  res.writeHead(timeout ? 504 : 500, { 'content-type': 'text/plain' });
  res.end(`${timeout ? 'component timed out' : 'component failed'}: [${e.code ?? 'ERROR'}]\n`);
}

/** The request body, cut off past `max` bytes (the guest sees it break off; `state.over` says why). */
export async function* capped(req: IncomingMessage, max: number, state: { over: boolean }): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > max) {
      state.over = true;
      throw new Error(`the request body is over the link's max_body_bytes (${max})`);
    }
    yield chunk;
  }
}

export const bodyTooLarge = (route: Route): Error =>
  Object.assign(new Error(`over max_body_bytes ${route.maxBodyBytes}`), { code: RemoteErrorCode.BodyTooLarge });

/** 413, and the connection closes (the rest of the body is not read). */
export function tooLarge(res: ServerResponse, route: Route): void {
  res
    .writeHead(413, { 'content-type': 'text/plain', connection: 'close' })
    .end(`request body too large: over the link's max_body_bytes (${route.maxBodyBytes})\n`);
}

const plain = (res: ServerResponse, status: number, text: string): void =>
  void res.writeHead(status, { 'content-type': 'text/plain' }).end(text);

/** The link's `timeout_ms`: the client gets 504 then (in a guest worker the call is stopped at the same deadline). */
export function within<T>(call: Promise<T>, ms: number, target: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`${target} did not answer within the link's timeout_ms (${ms} ms)`), {
            code: 'HTTP_TIMEOUT',
          }),
        ),
      ms,
    );
  });
  call.catch(() => undefined); // settles after the timeout: nobody waits for it any more
  return Promise.race([call, late]).finally(() => clearTimeout(timer));
}
