import { concatBytes } from '../../lattice/index.ts';
import type { Link } from '../../lattice/index.ts';
import type { Provider, ProviderContext, ResolvedLink } from '../sdk/index.ts';
import { WitError } from '../sdk/index.ts';
import { allows, parseAllowList } from './allow-list.ts';
import type { AllowList } from './allow-list.ts';

const IFACE = 'wasi:http/outgoing-handler';
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BODY = 16 * 1024 * 1024;

/** An outgoing request as the guest worker sends it (the URL already holds scheme, authority and path). */
export interface OutgoingRequestData {
  method: string;
  url: string;
  headers: [string, string][];
  body?: Uint8Array | null;
  /** The guest's `request-options` (connect / first-byte timeouts), in ms. */
  timeoutMs?: number;
}

/** The response handed back to the guest (buffered). */
export interface IncomingResponseData {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

/** Per-link settings, from the link's target config over the provider's own config (keys case-insensitive). */
interface LinkSettings {
  allow: AllowList;
  timeoutMs: number;
  maxBody: number;
}

/** `wasi:http`'s `HTTP-request-denied` error-code (the reason goes to the host log, the guest sees the case). */
const denied = (): WitError => new WitError({ tag: 'HTTP-request-denied' });

/**
 * `weft+builtin://http-client`: serves `wasi:http/outgoing-handler` for the components linked to it, to the hosts
 * on the link's `allowed_hosts` only (none by default). Redirects are not followed (the guest sees the 3xx, as in
 * wasmtime), responses are buffered up to `max_body_bytes`.
 */
export class HttpClientProvider implements Provider {
  #ctx!: ProviderContext;
  readonly #links = new Map<string, LinkSettings>();

  init(ctx: ProviderContext): void {
    this.#ctx = ctx;
  }

  onLinkAsTarget(link: ResolvedLink): void {
    this.#links.set(key(link), this.#settings(link));
  }

  onLinkDeleted(link: Link, role: 'source' | 'target'): void {
    if (role === 'target') this.#links.delete(key(link));
  }

  async handleImport(source: string, link: ResolvedLink, iface: string, func: string, args: unknown[]): Promise<unknown> {
    if (!iface.startsWith(IFACE)) throw new Error(`http-client serves ${IFACE}, not ${iface}`);
    const settings = this.#links.get(key(link)) ?? this.#settings(link);
    if (func === 'check') return this.#check(source, settings, String(args[0]));
    if (func === 'handle') return this.#handle(source, settings, args[0] as OutgoingRequestData);
    throw new Error(`http-client has no function ${func}`);
  }

  health(): { healthy: boolean; message: string } {
    return { healthy: true, message: `${this.#links.size} links` };
  }

  shutdown(): void {
    this.#links.clear();
  }

  #settings(link: ResolvedLink): LinkSettings {
    const cfg: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...this.#ctx.config, ...link.source_config_values, ...link.target_config_values })) cfg[k.toLowerCase()] = v;
    const num = (v: string | undefined, d: number): number => (Number(v) > 0 ? Number(v) : d);
    return { allow: parseAllowList(cfg['allowed_hosts']), timeoutMs: num(cfg['timeout_ms'], DEFAULT_TIMEOUT_MS), maxBody: num(cfg['max_body_bytes'], DEFAULT_MAX_BODY) };
  }

  /** Throws `HTTP-request-denied` unless the URL's host is on the link's allow-list. */
  #check(source: string, s: LinkSettings, url: string): null {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new WitError({ tag: 'HTTP-request-URI-invalid' });
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw denied();
    if (!allows(s.allow, u)) {
      this.#ctx.log.warn({ component: source, host: u.host, allowed_hosts: s.allow.text }, 'outgoing HTTP request denied: host not in the link\'s allowed_hosts');
      throw denied();
    }
    return null;
  }

  async #handle(source: string, s: LinkSettings, req: OutgoingRequestData): Promise<IncomingResponseData> {
    this.#check(source, s, req.url);
    const timeoutMs = Math.min(s.timeoutMs, req.timeoutMs && req.timeoutMs > 0 ? req.timeoutMs : Infinity);
    const signal = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      const hasBody = req.body && req.body.length > 0 && req.method !== 'GET' && req.method !== 'HEAD';
      res = await fetch(req.url, { method: req.method, headers: req.headers, body: hasBody ? (req.body as Uint8Array<ArrayBuffer>) : undefined, redirect: 'manual', signal });
    } catch (err) {
      throw new WitError(errorCode(err));
    }
    const headers: [string, string][] = [];
    res.headers.forEach((v, k) => headers.push([k, v]));
    return { status: res.status, headers, body: await readCapped(res, s.maxBody, signal) };
  }
}

const key = (link: Link): string => `${link.source_id}\u0000${link.name}`;

/** Reads a response body, refusing one above `max` bytes (`HTTP-response-body-size`). */
async function readCapped(res: Response, max: number, signal: AbortSignal): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  if (declared > max) {
    await res.body?.cancel();
    throw new WitError({ tag: 'HTTP-response-body-size', val: declared });
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const reader = res.body?.getReader();
    for (let r = await reader?.read(); r && !r.done; r = await reader?.read()) {
      const chunk = r.value;
      size += chunk.byteLength;
      if (size > max) {
        await reader?.cancel();
        throw new WitError({ tag: 'HTTP-response-body-size', val: size });
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof WitError) throw err;
    throw new WitError(signal.aborted ? { tag: 'HTTP-response-timeout' } : errorCode(err));
  }
  return concatBytes(chunks);
}

/** Maps a fetch failure to a `wasi:http` error-code. */
function errorCode(err: unknown): unknown {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return { tag: 'connection-timeout' };
  switch (e.cause?.code) {
    case 'ECONNREFUSED':
      return { tag: 'connection-refused' };
    case 'ECONNRESET':
      return { tag: 'connection-terminated' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { tag: 'DNS-error', val: { rcode: e.cause.code, infoCode: undefined } };
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { tag: 'connection-timeout' };
    default:
      return { tag: 'internal-error', val: e.cause?.message ?? e.message };
  }
}
