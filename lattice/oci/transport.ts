/**
 * HTTP transport of the registry client on `fetch`: the scheme per registry (HTTPS, plain HTTP only for loopback
 * or allowed-insecure hosts), redirects followed by hand (no HTTPS→HTTP downgrade, `Authorization` dropped when the
 * origin changes, as for presigned blob URLs), timeouts, and the mapping of network failures and error answers to
 * coded {@link OciError}s (distribution's `{errors: [{code, message}]}` bodies are read; HTML pages are named as such).
 */
import { readLimited } from './auth.ts';
import { OciError, OciErrorCode } from './errors.ts';
import { isLoopbackRegistry } from './reference.ts';

/** Options shared by every request of a client. */
export interface TransportOptions {
  /** Registries (`host[:port]`) that may be reached over plain HTTP besides localhost/127.0.0.1. */
  allowInsecure?: readonly string[];
  /** Per-request timeout (headers and body). @default 60000 */
  timeoutMs?: number;
  /**
   * A deadline for everything this client does, counted from its creation (a host's pull: token, manifest and blob
   * requests together), so a registry that answers each request slowly cannot hold a pull for long.
   */
  deadlineMs?: number;
  /** The `fetch` to use (tests). @default globalThis.fetch */
  fetch?: typeof fetch;
}

const MAX_REDIRECTS = 5;
const MAX_ERROR_BODY = 16 * 1024;

export class Transport {
  readonly #o: TransportOptions;
  readonly #deadline: AbortSignal | undefined;
  constructor(o: TransportOptions = {}) {
    this.#o = o;
    this.#deadline = o.deadlineMs ? AbortSignal.timeout(o.deadlineMs) : undefined;
  }

  /** Whether `host[:port]` may be spoken to over plain HTTP. */
  insecureAllowed(host: string): boolean {
    return isLoopbackRegistry(host) || (this.#o.allowInsecure ?? []).includes(host);
  }

  /** `http(s)://host` for a registry's API. */
  baseUrl(host: string): string {
    return `${this.insecureAllowed(host) ? 'http' : 'https'}://${host}`;
  }

  /**
   * One request, redirects followed by hand.
   * @throws {OciError} OCI_INSECURE, OCI_UNREACHABLE, OCI_TIMEOUT.
   */
  async request(url: URL, init: RequestInit, ref: string): Promise<Response> {
    const doFetch = this.#o.fetch ?? fetch;
    const perRequest = AbortSignal.timeout(this.#o.timeoutMs ?? 60_000);
    const signal = this.#deadline ? AbortSignal.any([perRequest, this.#deadline]) : perRequest;
    let current = url;
    let headers = new Headers(init.headers);
    for (let hop = 0; ; hop++) {
      this.#checkScheme(current, ref);
      let res: Response;
      try {
        res = await doFetch(current, { ...init, headers, redirect: 'manual', signal });
      } catch (err) {
        throw this.networkError(err, current, ref);
      }
      const location = res.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(res.status) || !location) return res;
      await res.body?.cancel();
      if (hop >= MAX_REDIRECTS)
        throw new OciError(OciErrorCode.Registry, `${ref}: more than ${MAX_REDIRECTS} redirects from ${url.host}`, {
          ref,
        });
      const next = new URL(location, current);
      if (next.origin !== current.origin) {
        headers = new Headers(headers);
        headers.delete('authorization');
      }
      if (res.status === 303 && init.method && init.method !== 'GET' && init.method !== 'HEAD')
        init = { ...init, method: 'GET', body: null };
      current = next;
    }
  }

  #checkScheme(url: URL, ref: string): void {
    if (url.protocol === 'https:') return;
    if (url.protocol === 'http:' && this.insecureAllowed(url.host)) return;
    throw new OciError(
      OciErrorCode.Insecure,
      `${ref}: refusing ${url.protocol.replace(':', '')} to ${url.host} (only HTTPS, or plain HTTP to localhost and allowed-insecure registries)`,
      {
        ref,
        hint: `if ${url.host} really serves plain HTTP, allow it with --allow-insecure-registries ${url.host}`,
      },
    );
  }

  /** A failed fetch, or a body read that failed (its time ran out), as a coded error. */
  networkError(err: unknown, url: URL, ref: string): OciError {
    if (err instanceof OciError) return err;
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
      const limit = this.#deadline?.aborted
        ? `the pull timeout of ${this.#o.deadlineMs} ms`
        : `${this.#o.timeoutMs ?? 60_000} ms`;
      return new OciError(OciErrorCode.Timeout, `${ref}: ${url.host} did not answer in full within ${limit}`, {
        ref,
        cause: err,
        hint: 'check that the registry is up and reachable, or raise the pull timeout',
      });
    }
    const why = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
    return new OciError(OciErrorCode.Unreachable, `${ref}: cannot reach registry ${url.host} (${why})`, {
      ref,
      cause: err,
      hint: 'check the registry host and port, the network, and that it speaks HTTPS (plain HTTP needs --allow-insecure-registries)',
    });
  }
}

/**
 * Turns an unexpected answer into a coded error: 401 → OCI_UNAUTHORIZED, 403 → OCI_DENIED, 404 / *_UNKNOWN →
 * OCI_NOT_FOUND, 413 → OCI_TOO_LARGE, anything else → OCI_REGISTRY; `what` names the operation (`manifest 0.1.0`).
 */
export async function errorFromResponse(res: Response, ref: string, registry: string, what: string): Promise<OciError> {
  const type = res.headers.get('content-type') ?? '';
  const body = await readLimited(res, MAX_ERROR_BODY).catch(() => '');
  let codes: string[] = [];
  let detail = '';
  if (type.includes('json') || body.trimStart().startsWith('{')) {
    try {
      const errs = (JSON.parse(body) as { errors?: { code?: unknown; message?: unknown }[] }).errors;
      if (Array.isArray(errs)) {
        codes = errs.map((x) => String(x?.code ?? '')).filter(Boolean);
        detail = errs
          .map((x) => [x?.code, x?.message].filter((s) => typeof s === 'string' && s).join(': '))
          .filter(Boolean)
          .join('; ')
          .slice(0, 300);
      }
    } catch {
      // not the registry's error format; described by status below
    }
  } else if (type.includes('html') || /^\s*<(!doctype|html)/i.test(body)) {
    detail = 'an HTML page, not the registry API: check the registry address (a proxy or a web site answered)';
  }
  const msg = `${ref}: ${what} failed: HTTP ${res.status}${detail ? ` (${detail})` : ''}`;
  const opts = { ref, status: res.status };
  if (res.status === 401)
    return new OciError(OciErrorCode.Unauthorized, msg, {
      ...opts,
      hint: `log in with \`weft reg login ${registry}\` (or check the stored credentials)`,
    });
  if (res.status === 403 || codes.includes('DENIED')) {
    return new OciError(OciErrorCode.Denied, msg, {
      ...opts,
      hint: `the credentials for ${registry} are valid but may not do this; check the repository's permissions`,
    });
  }
  if (res.status === 404 || codes.some((c) => c.endsWith('_UNKNOWN'))) {
    return new OciError(OciErrorCode.NotFound, msg, {
      ...opts,
      hint: 'check the repository name and tag (or digest); push it first with `weft push`',
    });
  }
  if (res.status === 413)
    return new OciError(OciErrorCode.TooLarge, msg, { ...opts, hint: 'the registry refuses artifacts this large' });
  return new OciError(OciErrorCode.Registry, msg, {
    ...opts,
    hint: res.status >= 500 ? 'the registry failed; try again later' : 'the registry refused the request',
  });
}
