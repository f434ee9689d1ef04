import type { ResolvedLink } from '../sdk/index.ts';

/** How the http-server picks a component for a request (wasmCloud's `routing_mode`). */
export interface Route {
  address: string;
  target: string;
  path?: string;
  host?: string;
  timeoutMs?: number;
  linkName: string;
  /** `reuse_port=true`: several hosts on one machine share the address (SO_REUSEPORT; the kernel spreads connections). */
  reusePort: boolean;
}

const DEFAULT_ADDRESS = '127.0.0.1:8000';

/** Reads a link's source config, keys case-insensitive (`address`/`ADDRESS`, `path`, `host`, `timeout_ms`, `reuse_port`). */
export function routeOf(link: ResolvedLink, defaults: Record<string, string>): Route {
  const cfg: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...defaults, ...link.source_config_values })) cfg[k.toLowerCase()] = v;
  const address = cfg['address'] ?? cfg['default_address'] ?? DEFAULT_ADDRESS;
  const timeout = Number(cfg['timeout_ms']);
  return {
    address,
    target: link.target,
    path: cfg['path'],
    host: cfg['host'],
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
    linkName: link.name,
    reusePort: /^(true|1|yes)$/i.test(cfg['reuse_port'] ?? ''),
  };
}

/** Picks the route for a request among those on one address: host match, then longest path prefix, then the only one. */
export function pickRoute(routes: Route[], hostHeader: string | undefined, path: string): Route | undefined {
  const host = hostHeader?.split(':')[0];
  const byHost = routes.filter((r) => r.host && r.host === host);
  const candidates = byHost.length ? byHost : routes.filter((r) => !r.host);
  const withPath = candidates
    .filter((r) => r.path && (path === r.path || path.startsWith(r.path.endsWith('/') ? r.path : `${r.path}/`)))
    .sort((a, b) => (b.path?.length ?? 0) - (a.path?.length ?? 0));
  if (withPath[0]) return withPath[0];
  const plain = candidates.filter((r) => !r.path);
  return plain.length === 1 ? plain[0] : plain[0];
}
