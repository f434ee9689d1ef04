/**
 * The http-server's listener on the main thread, for a host whose guest workers cannot serve HTTP themselves (no
 * `ProviderContext.workerHttp`: a policy service must see each call, or the provider runs without a runtime). The
 * request goes through `ctx.invoke`; in this host the response streams through a {@link ResponseWriter}.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { RateLimitedLog } from '../../lattice/index.ts';
import type { ProviderContext } from '../sdk/index.ts';
import { ResponseWriter, withoutLength } from './response-writer.ts';
import { limitsOf } from './routes.ts';
import type { Route } from './routes.ts';
import {
  bodyTooLarge,
  capped,
  failed,
  hasBody,
  headOf,
  routeFor,
  tooLarge,
  traceparentOf,
  within,
} from './serve-request.ts';

// getBuiltinModule, not an ESM import of node:http, which loads undici (~12 MB): see host/admin/admin-server.ts
const { createServer } = process.getBuiltinModule('node:http');

export const HANDLE = 'wasi:http/incoming-handler.handle';

/** How often Node checks `request_timeout_ms` / `headers_timeout_ms` (its default, 30 s, would let them run late by as much). */
const CHECK_INTERVAL_MS = 1000;

/** One address served on the main thread. */
export class MainListener {
  readonly #ctx: ProviderContext;
  readonly #server: Server;
  #routes: Route[] = [];

  constructor(ctx: ProviderContext, address: string, dropped: RateLimitedLog) {
    this.#ctx = ctx;
    this.#server = createServer(
      { connectionsCheckingInterval: CHECK_INTERVAL_MS },
      (req, res) => void this.#serve(req, res).catch(() => res.destroy()),
    );
    this.#server.on('drop', (d?: { remoteAddress?: string }) =>
      dropped.warn(
        address,
        { address, max_connections: this.#server.maxConnections, remote: d?.remoteAddress },
        'http-server: connection dropped, max_connections reached',
      ),
    );
  }

  /** The listener's routes; its limits are the strictest of theirs. */
  update(routes: Route[]): void {
    this.#routes = routes;
    const limits = limitsOf(routes);
    this.#server.maxConnections = limits.maxConnections;
    this.#server.requestTimeout = limits.requestTimeoutMs;
    this.#server.headersTimeout = limits.headersTimeoutMs;
  }

  listen(address: string, reusePort: boolean): Promise<void> {
    const i = address.lastIndexOf(':');
    const host = address.slice(0, i) || '0.0.0.0';
    const port = Number(address.slice(i + 1));
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen({ port, host, reusePort }, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
  }

  /** Stops accepting, lets requests in flight finish (graceful drain, no connection reset), then closes the rest. */
  close(graceMs = 5000): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
      setTimeout(() => this.#server.closeAllConnections(), graceMs).unref();
    });
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const route = routeFor(req, res, this.#routes);
    if (!route) return;
    const body = { over: false };
    let writer: ResponseWriter | undefined;
    try {
      // in this host the response streams (head when the guest sets it, each body write as it happens) and so does
      // the request body, when there is one
      writer = new ResponseWriter(res);
      const call = this.#ctx.invoke(route.target, HANDLE, [headOf(req, route)], {
        timeoutMs: route.timeoutMs,
        traceparent: traceparentOf(req),
        httpSink: writer,
        httpBody: hasBody(req) ? capped(req, route.maxBodyBytes, body) : undefined,
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
      failed(res, route, err, (o, m) => this.#ctx.log.warn(o, m));
    }
  }
}
