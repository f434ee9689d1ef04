import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { RateLimitedLog } from '../../lattice/index.ts';
import type { Link } from '../../lattice/index.ts';
import type { Provider, ProviderContext, ResolvedLink } from '../sdk/index.ts';
import { ResponseWriter, withoutLength } from './response-writer.ts';
import { authorityOf, hostnameOf, limitsOf, pickRoute, routeOf } from './routes.ts';
import type { Route } from './routes.ts';

const HANDLE = 'wasi:http/incoming-handler.handle';

interface Listener {
  server: Server;
  routes: Route[];
}

/** How often Node checks `request_timeout_ms` / `headers_timeout_ms` (its default, 30 s, would let them run late by as much). */
const CHECK_INTERVAL_MS = 1000;

/**
 * `weft+builtin://http-server`: listens on the `address` of each link where it is the source and hands requests to
 * the linked component's `wasi:http/incoming-handler` (in-process when the component runs on this host). Routing by
 * address, `path` or `host`; per-link `timeout_ms` (504) and `max_body_bytes` (413); per listener
 * `max_connections`, `request_timeout_ms` (408) and `headers_timeout_ms`; a trapping handler answers 500 and others
 * carry on.
 */
export class HttpServerProvider implements Provider {
  #ctx!: ProviderContext;
  #dropped!: RateLimitedLog;
  readonly #listeners = new Map<string, Listener>();

  init(ctx: ProviderContext): void {
    this.#ctx = ctx;
    this.#dropped = new RateLimitedLog(ctx.log);
  }

  async onLinkAsSource(link: ResolvedLink): Promise<void> {
    const route = routeOf(link, this.#ctx.config);
    await this.#removeRoute(link);
    let l = this.#listeners.get(route.address);
    if (!l) {
      const server = createServer(
        { connectionsCheckingInterval: CHECK_INTERVAL_MS },
        (req, res) => void this.#serve(route.address, req, res).catch(() => res.destroy()),
      );
      server.on('drop', (d?: { remoteAddress?: string }) =>
        this.#dropped.warn(
          route.address,
          { address: route.address, max_connections: server.maxConnections, remote: d?.remoteAddress },
          'http-server: connection dropped, max_connections reached',
        ),
      );
      l = { server, routes: [] };
      this.#listeners.set(route.address, l);
      await listen(l.server, route.address, route.reusePort);
      this.#ctx.log.info({ address: route.address, target: route.target }, 'http-server listening');
    }
    l.routes.push(route);
    applyLimits(l);
  }

  async onLinkDeleted(link: Link, role: 'source' | 'target'): Promise<void> {
    if (role === 'source') await this.#removeRoute(link);
  }

  health(): { healthy: boolean; message?: string } {
    return { healthy: true, message: `${this.#listeners.size} listeners` };
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.#listeners.values()].map((l) => close(l.server)));
    this.#listeners.clear();
  }

  async #removeRoute(link: Link): Promise<void> {
    for (const [addr, l] of this.#listeners) {
      l.routes = l.routes.filter((r) => !(r.target === link.target && r.linkName === link.name));
      if (l.routes.length === 0) {
        this.#listeners.delete(addr);
        await close(l.server);
      } else applyLimits(l);
    }
  }

  async #serve(address: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const routes = this.#listeners.get(address)?.routes ?? [];
    if (req.headers.host !== undefined && !hostnameOf(req.headers.host))
      return void plain(res, 400, 'bad Host header\n');
    const route = pickRoute(routes, req.headers.host, (req.url ?? '/').split('?')[0] ?? '/');
    if (!route) return void plain(res, 404, 'no component is linked for this path or host\n');
    if (Number(req.headers['content-length'] ?? 0) > route.maxBodyBytes) return void tooLarge(res, route);
    const headers: [string, string][] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      headers.push([req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '']);
    // the body streams into the guest as it arrives (`httpBody`), so it is not in the request itself; the URL's
    // authority is the route's host or the listener's address, never an unchecked Host header
    const request = {
      method: req.method ?? 'GET',
      url: `http://${authorityOf(route, req.headers.host)}${req.url ?? '/'}`,
      headers,
    };
    const body = { over: false };
    let writer: ResponseWriter | undefined;
    try {
      // W3C trace context: a caller's traceparent is continued; the host starts a new trace otherwise
      const traceparent = typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined;
      // in this host the response streams (head when the guest sets it, each body write as it happens) and so does
      // the request body, when there is one
      writer = new ResponseWriter(res);
      const httpBody =
        req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0
          ? capped(req, route.maxBodyBytes, body)
          : undefined;
      const call = this.#ctx.invoke(route.target, HANDLE, [request], {
        timeoutMs: route.timeoutMs,
        traceparent,
        httpSink: writer,
        httpBody,
      });
      const out = (await (route.timeoutMs ? within(call, route.timeoutMs, route.target) : call)) as {
        status: number;
        headers: [string, string][];
        body: Uint8Array;
        streamed?: boolean;
      };
      if (body.over) throw bodyTooLarge(route);
      if (out.streamed) return writer.end();
      writer.abandon();
      res.writeHead(out.status, withoutLength(out.headers));
      res.end(out.body);
    } catch (err) {
      writer?.abandon();
      if (body.over && !res.headersSent) return void tooLarge(res, route);
      const e = err as Error & { code?: string };
      const timeout = e.code === 'LAT_TIMEOUT' || e.code === 'COMP_TIMEOUT' || e.code === 'HTTP_TIMEOUT';
      this.#ctx.log.warn({ component_id: route.target, code: e.code, err: e.message }, 'http handler failed');
      // part of a streamed response is out: cut the connection so the client sees it incomplete
      if (res.headersSent) return void res.destroy();
      if (e.code === 'HOST_BODY_TOO_LARGE')
        return void res.writeHead(413, { 'content-type': 'text/plain' }).end(`request body too large: ${e.message}\n`);
      if (e.code === 'COMP_BUSY')
        return void res
          .writeHead(503, { 'content-type': 'text/plain', 'retry-after': '1' })
          .end(`host busy: [COMP_BUSY]\n`);
      res.writeHead(timeout ? 504 : 500, { 'content-type': 'text/plain' });
      res.end(`${timeout ? 'component timed out' : 'component failed'}: [${e.code ?? 'ERROR'}]\n`);
    }
  }
}

/** The request body, cut off past `max` bytes (the guest sees it break off; `state.over` says why). */
async function* capped(req: IncomingMessage, max: number, state: { over: boolean }): AsyncGenerator<Uint8Array> {
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

const bodyTooLarge = (route: Route): Error =>
  Object.assign(new Error(`over max_body_bytes ${route.maxBodyBytes}`), { code: 'HOST_BODY_TOO_LARGE' });

/** 413, and the connection closes (the rest of the body is not read). */
function tooLarge(res: ServerResponse, route: Route): void {
  res
    .writeHead(413, { 'content-type': 'text/plain', connection: 'close' })
    .end(`request body too large: over the link's max_body_bytes (${route.maxBodyBytes})\n`);
}

const plain = (res: ServerResponse, status: number, text: string): void =>
  void res.writeHead(status, { 'content-type': 'text/plain' }).end(text);

/** The strictest limits of the listener's routes, applied to its server (Node reads them on each check). */
function applyLimits(l: Listener): void {
  const limits = limitsOf(l.routes);
  l.server.maxConnections = limits.maxConnections;
  l.server.requestTimeout = limits.requestTimeoutMs;
  l.server.headersTimeout = limits.headersTimeoutMs;
}

/** The link's `timeout_ms`: the client gets 504 then (the guest runs on, up to the host's execution limit). */
function within<T>(call: Promise<T>, ms: number, target: string): Promise<T> {
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

function listen(server: Server, address: string, reusePort: boolean): Promise<void> {
  const i = address.lastIndexOf(':');
  const host = address.slice(0, i) || '0.0.0.0';
  const port = Number(address.slice(i + 1));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, reusePort }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops accepting, lets requests in flight finish (graceful drain, no connection reset), then closes the rest. */
function close(server: Server, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), graceMs).unref();
  });
}
