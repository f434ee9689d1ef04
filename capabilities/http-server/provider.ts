import { KeyedSerial, RateLimitedLog } from '../../lattice/index.ts';
import type { HttpHandler, Link } from '../../lattice/index.ts';
import type { Provider, ProviderContext, ResolvedLink } from '../sdk/index.ts';
import { HANDLE, MainListener } from './main-listener.ts';
import { routeOf } from './routes.ts';
import type { Route } from './routes.ts';
import type { ListenerSpec } from './worker-listener.ts';

/** The worker half, imported in each guest worker. */
const WORKER_MODULE = new URL('./worker-listener.ts', import.meta.url).href;

interface Listener {
  routes: Route[];
  /** On the main thread, when the host's workers cannot serve HTTP themselves. */
  main?: MainListener;
}

/**
 * `weft+builtin://http-server`: listens on the `address` of each link where it is the source and hands requests to
 * the linked component's `wasi:http/incoming-handler`. In a host with guest workers the workers listen themselves
 * (SO_REUSEPORT) and call their own instances; this provider is then the control: it computes the routes of each
 * address on link put/delete and sends them to the workers, and serves the requests they pass on (a component that
 * runs on another host). Routing by address, `path` or `host`; per-link `timeout_ms` (504) and `max_body_bytes`
 * (413); per listener `max_connections`, `request_timeout_ms` (408) and `headers_timeout_ms`; a trapping handler
 * answers 500 and others carry on.
 */
export class HttpServerProvider implements Provider {
  #ctx!: ProviderContext;
  #dropped!: RateLimitedLog;
  readonly #listeners = new Map<string, Listener>();
  /** Per address, one change at a time (link puts and deletes arrive concurrently). */
  readonly #queue = new KeyedSerial();
  readonly #handlerTimeoutMs: number | undefined;

  /** `handlerTimeoutMs`: how long a handler may run when its link sets no `timeout_ms` (default 30 s). */
  constructor(o: { handlerTimeoutMs?: number } = {}) {
    this.#handlerTimeoutMs = o.handlerTimeoutMs;
  }

  init(ctx: ProviderContext): void {
    this.#ctx = ctx;
    this.#dropped = new RateLimitedLog(ctx.log);
  }

  async onLinkAsSource(link: ResolvedLink): Promise<void> {
    const route = routeOf(link, this.#ctx.config, this.#handlerTimeoutMs);
    await this.#removeRoute(link);
    await this.#serial(route.address, async () => {
      const l = this.#listeners.get(route.address) ?? { routes: [] };
      const first = !this.#listeners.has(route.address);
      const routes = [...l.routes, route];
      if (this.#ctx.workerHttp) {
        const spec: ListenerSpec = { routes };
        await this.#ctx.workerHttp.listen(route.address, spec, WORKER_MODULE, {
          relay: this.#relay,
          log: this.#ctx.log,
          exclusive: !route.reusePort,
        });
      } else if (first) {
        l.main = new MainListener(this.#ctx, route.address, this.#dropped);
        l.main.update(routes);
        await l.main.listen(route.address, route.reusePort);
      } else l.main?.update(routes);
      l.routes = routes;
      this.#listeners.set(route.address, l);
      if (first) this.#ctx.log.info({ address: route.address, target: route.target }, 'http-server listening');
    });
  }

  async onLinkDeleted(link: Link, role: 'source' | 'target'): Promise<void> {
    if (role === 'source') await this.#removeRoute(link);
  }

  health(): { healthy: boolean; message?: string } {
    return { healthy: true, message: `${this.#listeners.size} listeners` };
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.#listeners.keys()].map((addr) => this.#close(addr)));
  }

  /** Requests a worker passes on (the component runs on another host, or not in that worker): through `invoke`, buffered. */
  readonly #relay: HttpHandler = async (target, head, body, o) => {
    const out = (await this.#ctx.invoke(target, HANDLE, [head], {
      timeoutMs: o.timeoutMs,
      traceparent: o.traceparent,
      httpBody: body,
    })) as { status: number; headers: [string, string][]; body: Uint8Array };
    return { status: out.status, headers: out.headers, body: out.body };
  };

  async #removeRoute(link: Link): Promise<void> {
    for (const [addr, l] of [...this.#listeners]) {
      if (!l.routes.some((r) => r.target === link.target && r.linkName === link.name)) continue;
      await this.#serial(addr, async () => {
        const routes = l.routes.filter((r) => !(r.target === link.target && r.linkName === link.name));
        if (routes.length === 0) return this.#closeNow(addr);
        l.routes = routes;
        if (this.#ctx.workerHttp)
          await this.#ctx.workerHttp.listen(addr, { routes } satisfies ListenerSpec, WORKER_MODULE, {
            relay: this.#relay,
            log: this.#ctx.log,
          });
        else l.main?.update(routes);
      });
    }
  }

  #close(addr: string): Promise<void> {
    return this.#serial(addr, () => this.#closeNow(addr));
  }

  async #closeNow(addr: string): Promise<void> {
    const l = this.#listeners.get(addr);
    if (!l) return;
    this.#listeners.delete(addr);
    await (l.main ? l.main.close() : this.#ctx.workerHttp?.close(addr));
  }

  #serial(addr: string, fn: () => Promise<void>): Promise<void> {
    return this.#queue.run(addr, fn);
  }
}
