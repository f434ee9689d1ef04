import type { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { RateLimitedLog } from '../../lattice/index.ts';
import type { Link } from '../../lattice/index.ts';
import type { Provider, ProviderContext, ResolvedLink } from '../sdk/index.ts';
import { WitError } from '../sdk/index.ts';
import { addressRefusal, allows, parseAllowList, portOf } from './allow-list.ts';
import type { AllowList } from './allow-list.ts';
import { parseIp } from './ip.ts';
import { send } from './request.ts';
import type { IncomingResponseData, OutgoingRequestData } from './request.ts';

// getBuiltinModule, not an ESM import of node:http, which loads undici (~12 MB): see host/admin/admin-server.ts
const http = process.getBuiltinModule('node:http');

export type { IncomingResponseData, OutgoingRequestData } from './request.ts';

const IFACE = 'wasi:http/outgoing-handler';
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BODY = 16 * 1024 * 1024;

/** Per-link settings, from the link's target config over the provider's own config (keys case-insensitive). */
interface LinkSettings {
  allow: AllowList;
  timeoutMs: number;
  maxBody: number;
  /** The link's own connection pools: a kept-alive connection serves only requests under the policy it was opened by. */
  agents: { http: HttpAgent; https: HttpsAgent };
}

/** `wasi:http`'s `HTTP-request-denied` error-code (the reason goes to the host log, the guest sees the case). */
const denied = (): WitError => new WitError({ tag: 'HTTP-request-denied' });

/**
 * `weft+builtin://http-client`: serves `wasi:http/outgoing-handler` for the components linked to it, to the hosts
 * on the link's `allowed_hosts` only (none by default), and to public addresses only unless the list names the IP.
 * Redirects are not followed (the guest sees the 3xx, as in wasmtime), responses are buffered up to `max_body_bytes`.
 */
export class HttpClientProvider implements Provider {
  #ctx!: ProviderContext;
  #refusals!: RateLimitedLog;
  readonly #links = new Map<string, LinkSettings>();

  init(ctx: ProviderContext): void {
    this.#ctx = ctx;
    this.#refusals = new RateLimitedLog(ctx.log);
  }

  onLinkAsTarget(link: ResolvedLink): void {
    this.#drop(key(link));
    const s = this.#settings(link);
    if (s.allow.invalid.length)
      this.#ctx.log.warn(
        { component: link.source_id, invalid: s.allow.invalid },
        'http-client: allowed_hosts entries ignored (not HOST, *.DOMAIN, IP, CIDR, each with an optional :PORT, or *)',
      );
    this.#links.set(key(link), s);
  }

  onLinkDeleted(link: Link, role: 'source' | 'target'): void {
    if (role === 'target') this.#drop(key(link));
  }

  async handleImport(
    source: string,
    link: ResolvedLink,
    iface: string,
    func: string,
    args: unknown[],
  ): Promise<unknown> {
    if (!iface.startsWith(IFACE)) throw new Error(`http-client serves ${IFACE}, not ${iface}`);
    let settings = this.#links.get(key(link));
    if (!settings) this.#links.set(key(link), (settings = this.#settings(link)));
    if (func === 'check') {
      this.#check(source, settings, String(args[0]));
      return null;
    }
    if (func === 'handle') return this.#handle(source, settings, args[0] as OutgoingRequestData);
    throw new Error(`http-client has no function ${func}`);
  }

  health(): { healthy: boolean; message: string } {
    return { healthy: true, message: `${this.#links.size} links` };
  }

  shutdown(): void {
    for (const k of [...this.#links.keys()]) this.#drop(k);
  }

  #drop(k: string): void {
    const s = this.#links.get(k);
    s?.agents.http.destroy();
    s?.agents.https.destroy();
    this.#links.delete(k);
  }

  #settings(link: ResolvedLink): LinkSettings {
    const cfg: Record<string, string> = {};
    for (const [k, v] of Object.entries({
      ...this.#ctx.config,
      ...link.source_config_values,
      ...link.target_config_values,
    }))
      cfg[k.toLowerCase()] = v;
    const num = (v: string | undefined, d: number): number => (Number(v) > 0 ? Number(v) : d);
    return {
      allow: parseAllowList(cfg['allowed_hosts']),
      timeoutMs: num(cfg['timeout_ms'], DEFAULT_TIMEOUT_MS),
      maxBody: num(cfg['max_body_bytes'], DEFAULT_MAX_BODY),
      agents: { http: new http.Agent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) },
    };
  }

  /**
   * Throws `HTTP-request-denied` unless the URL's host and port are on the link's allow-list, and, when the host is
   * an IP literal, that address may be reached. A host name's addresses are checked when the request connects.
   */
  #check(source: string, s: LinkSettings, url: string): URL {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new WitError({ tag: 'HTTP-request-URI-invalid' });
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw denied();
    if (!allows(s.allow, u)) {
      this.#refused(source, s, u, "host and port not in the link's allowed_hosts");
      throw denied();
    }
    const literal = parseIp(u.hostname);
    const why = literal && addressRefusal(s.allow, u, u.hostname);
    if (why) {
      this.#refused(source, s, u, `${why} address, not named by an IP entry in the link's allowed_hosts`);
      throw denied();
    }
    return u;
  }

  async #handle(source: string, s: LinkSettings, req: OutgoingRequestData): Promise<IncomingResponseData> {
    const url = this.#check(source, s, req.url);
    const timeoutMs = Math.min(s.timeoutMs, req.timeoutMs && req.timeoutMs > 0 ? req.timeoutMs : Infinity);
    const reasons: string[] = [];
    const checkAddress = (address: string): string | undefined => {
      const why = addressRefusal(s.allow, url, address);
      if (why) reasons.push(`${address}: ${why}`);
      return why;
    };
    try {
      return await send(req, url, { agents: s.agents, checkAddress, timeoutMs, maxBody: s.maxBody });
    } catch (err) {
      const tag = err instanceof WitError ? (err.value as { tag?: string }).tag : undefined;
      if (tag === 'HTTP-request-denied' && reasons.length)
        this.#refused(
          source,
          s,
          url,
          `resolves to refused addresses (${reasons.join(', ')}); name the IP in allowed_hosts to allow it`,
        );
      throw err;
    }
  }

  /** One warning per component per 10 s, naming the destination (a guest can retry at will). */
  #refused(source: string, s: LinkSettings, u: URL, reason: string): void {
    this.#refusals.warn(
      source,
      { component: source, destination: `${u.hostname}:${portOf(u)}`, reason, allowed_hosts: s.allow.text },
      'outgoing HTTP request denied',
    );
  }
}

const key = (link: Link): string => `${link.source_id}\u0000${link.name}`;
