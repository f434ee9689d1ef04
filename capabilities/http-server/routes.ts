import type { ResolvedLink } from '../sdk/index.ts';

/** How the http-server picks a component for a request (wasmCloud's `routing_mode`), and the link's limits. */
export interface Route {
  address: string;
  target: string;
  path?: string;
  /** `host` routing: the host name, lower case, without a trailing dot or port. */
  host?: string;
  /** `timeout_ms`, else the host's handler limit (30 s unless `weft up --http-timeout-ms`): 504, the call is stopped. */
  timeoutMs: number;
  linkName: string;
  /** `reuse_port=true`: several hosts on one machine share the address (SO_REUSEPORT; the kernel spreads connections). */
  reusePort: boolean;
  /** `max_body_bytes`: the largest request body this route takes (413 above it). */
  maxBodyBytes: number;
  /** Per listener (the strictest of its routes wins): `max_connections`, `request_timeout_ms`, `headers_timeout_ms`. */
  maxConnections?: number;
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
}

/** The limits of one listener, from all its routes. */
export interface ListenerLimits {
  maxConnections: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
}

const DEFAULT_ADDRESS = '127.0.0.1:8000';
/** How long an HTTP handler may run when its link sets no `timeout_ms` (as Spin's and workerd's request limits). */
export const DEFAULT_HANDLER_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024;
export const DEFAULT_LIMITS: ListenerLimits = {
  maxConnections: 1024,
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
};

/**
 * Reads a link's source config, keys case-insensitive (`address`/`ADDRESS`, `path`, `host`, `timeout_ms`,
 * `reuse_port`, `max_body_bytes`, `max_connections`, `request_timeout_ms`, `headers_timeout_ms`). `handlerTimeoutMs`
 * is the handler limit of a link without `timeout_ms`.
 */
export function routeOf(
  link: ResolvedLink,
  defaults: Record<string, string>,
  handlerTimeoutMs = DEFAULT_HANDLER_TIMEOUT_MS,
): Route {
  const cfg: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...defaults, ...link.source_config_values })) cfg[k.toLowerCase()] = v;
  const address = cfg['address'] ?? cfg['default_address'] ?? DEFAULT_ADDRESS;
  const positive = (key: string): number | undefined => {
    const n = Number(cfg[key]);
    return cfg[key] !== undefined && Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined;
  };
  return {
    address,
    target: link.target,
    path: cfg['path'],
    host: cfg['host'] === undefined ? undefined : (hostnameOf(cfg['host']) ?? cfg['host'].toLowerCase()),
    timeoutMs: positive('timeout_ms') ?? handlerTimeoutMs,
    linkName: link.name,
    reusePort: /^(true|1|yes)$/i.test(cfg['reuse_port'] ?? ''),
    maxBodyBytes: positive('max_body_bytes') ?? DEFAULT_MAX_BODY_BYTES,
    maxConnections: positive('max_connections'),
    requestTimeoutMs: positive('request_timeout_ms'),
    headersTimeoutMs: positive('headers_timeout_ms'),
  };
}

/** A listener's limits: for each, the smallest any of its routes sets, else the default. */
export function limitsOf(routes: Route[]): ListenerLimits {
  const least = (pick: (r: Route) => number | undefined, d: number): number => {
    const set = routes.map(pick).filter((n): n is number => n !== undefined);
    return set.length ? Math.min(...set) : d;
  };
  const requestTimeoutMs = least((r) => r.requestTimeoutMs, DEFAULT_LIMITS.requestTimeoutMs);
  return {
    maxConnections: least((r) => r.maxConnections, DEFAULT_LIMITS.maxConnections),
    requestTimeoutMs,
    // Node needs headers_timeout <= request_timeout
    headersTimeoutMs: Math.min(
      requestTimeoutMs,
      least((r) => r.headersTimeoutMs, DEFAULT_LIMITS.headersTimeoutMs),
    ),
  };
}

/**
 * The host name of a `Host` header (or a configured `host`), as URL reads it: lower case, IPv6 in brackets, no port,
 * no trailing dot; `undefined` when it is not a valid authority (userinfo, a path, spaces, …).
 */
export function hostnameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader || /[/?#@\\\s]/.test(hostHeader)) return undefined;
  try {
    const u = new URL(`http://${hostHeader}`);
    return u.hostname.replace(/\.$/, '') || undefined;
  } catch {
    return undefined;
  }
}

/** Picks the route for a request among those on one address: host match, then longest path prefix, then the only one. */
export function pickRoute(routes: Route[], hostHeader: string | undefined, path: string): Route | undefined {
  const host = hostnameOf(hostHeader);
  const byHost = routes.filter((r) => r.host && r.host === host);
  const candidates = byHost.length ? byHost : routes.filter((r) => !r.host);
  const withPath = candidates
    .filter((r) => r.path && (path === r.path || path.startsWith(r.path.endsWith('/') ? r.path : `${r.path}/`)))
    .sort((a, b) => (b.path?.length ?? 0) - (a.path?.length ?? 0));
  if (withPath[0]) return withPath[0];
  return candidates.find((r) => !r.path);
}

/**
 * The authority of the URL the guest sees. A host-routed request that matched its route keeps the request's host
 * (validated: it is the route's, plus the port the client named); every other request gets the listener's
 * configured address, so a client's `Host` never reaches the guest's URL unchecked (it is still in the headers).
 */
export function authorityOf(route: Route, hostHeader: string | undefined): string {
  const host = hostnameOf(hostHeader);
  if (route.host && host === route.host) {
    const port = /:(\d{1,5})$/.exec(hostHeader ?? '')?.[1];
    return port ? `${host}:${Number(port)}` : host;
  }
  return route.address;
}
