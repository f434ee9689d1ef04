/**
 * Registry authentication: parsing `WWW-Authenticate` challenges, Basic credentials, and the Docker/distribution
 * token flow (`GET realm?service=…&scope=repository:NAME:pull,push`, answer `{token | access_token, expires_in}`),
 * as described by distribution's token-auth spec and done by oci-client's `auth` step. Tokens are cached per
 * registry and scope until shortly before they expire. Credentials never appear in errors.
 */
import { OciError, OciErrorCode } from './errors.ts';

/** Credentials for one registry, in wasmCloud's `RegistryCredential` shape: a user and password, or a bearer token. */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** A registry token sent as `Authorization: Bearer` as is (no token exchange). */
  token?: string;
}

/** One challenge of a `WWW-Authenticate` header. */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (quoted or token values, several challenges). */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let i = 0;
  const skip = (chars: string): void => {
    while (i < header.length && chars.includes(header[i]!)) i++;
  };
  const token = (): string => {
    const m = /^[A-Za-z0-9_.~+/!#$%&'*^`|-]+/.exec(header.slice(i));
    i += m ? m[0].length : 0;
    return m ? m[0] : '';
  };
  while (i < header.length) {
    skip(' \t,');
    const word = token();
    if (!word) break;
    skip(' \t');
    if (header[i] !== '=' || !out.length) {
      out.push({ scheme: word.toLowerCase(), params: {} });
      continue;
    }
    i++;
    skip(' \t');
    let value = '';
    if (header[i] === '"') {
      for (i++; i < header.length && header[i] !== '"'; i++)
        value += header[i] === '\\' ? (header[++i] ?? '') : header[i];
      i++;
    } else {
      value = /^[^\s,]*/.exec(header.slice(i))![0];
      i += value.length;
    }
    out[out.length - 1]!.params[word.toLowerCase()] = value;
  }
  return out;
}

/** The `Authorization` value for Basic credentials, or `undefined` when there are none. */
export function basicAuthorization(c: RegistryCredentials | undefined): string | undefined {
  if (!c?.username || c.password === undefined) return undefined;
  return `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;
}

/** The pull or push scope of a repository (`repository:NAME:pull` / `…:pull,push`). */
export function repositoryScope(repository: string, push: boolean): string {
  return `repository:${repository}:${push ? 'pull,push' : 'pull'}`;
}

interface CachedToken {
  value: string;
  expires: number;
}

/** What a token request needs from the client: its fetch (with the insecure check) and the ref for errors. */
export interface TokenFetch {
  (url: URL, init: RequestInit): Promise<Response>;
}

const MAX_TOKEN_RESPONSE = 64 * 1024;

/** A token cache for one client. */
export class TokenCache {
  readonly #tokens = new Map<string, CachedToken>();

  /** A cached, unexpired token for `registry` and `scope`. */
  get(registry: string, scope: string): string | undefined {
    const t = this.#tokens.get(`${registry}|${scope}`);
    if (!t) return undefined;
    if (Date.now() < t.expires) return t.value;
    this.#tokens.delete(`${registry}|${scope}`);
    return undefined;
  }

  /** Drops the token of `registry` and `scope` (after the registry refused it). */
  forget(registry: string, scope: string): void {
    this.#tokens.delete(`${registry}|${scope}`);
  }

  /**
   * Exchanges the credentials for a token at the challenge's realm and caches it.
   * @throws {OciError} OCI_UNAUTHORIZED when the token server refuses, OCI_REGISTRY for a bad answer.
   */
  async fetch(
    registry: string,
    scope: string,
    challenge: AuthChallenge,
    creds: RegistryCredentials | undefined,
    doFetch: TokenFetch,
    ref: string,
  ): Promise<string> {
    const realm = challenge.params['realm'];
    if (!realm)
      throw new OciError(OciErrorCode.Registry, `${ref}: the registry's Bearer challenge has no realm`, {
        ref,
        hint: 'the registry is misconfigured; try again or ask its operator',
      });
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new OciError(OciErrorCode.Registry, `${ref}: the registry's token realm "${realm}" is not a URL`, { ref });
    }
    if (challenge.params['service']) url.searchParams.set('service', challenge.params['service']);
    const wanted = [scope, challenge.params['scope']].filter((s): s is string => !!s);
    for (const s of new Set(wanted)) url.searchParams.append('scope', s);
    const auth = basicAuthorization(creds);
    const res = await doFetch(url, { headers: auth ? { authorization: auth } : {} });
    const text = await readLimited(res, MAX_TOKEN_RESPONSE);
    if (res.status === 401 || res.status === 403) {
      throw new OciError(
        OciErrorCode.Unauthorized,
        `${ref}: the token server of ${registry} refused ${auth ? 'the credentials' : 'anonymous access'} (HTTP ${res.status})`,
        {
          ref,
          status: res.status,
          hint: `log in with \`weft reg login ${registry}\` (or check the stored credentials)`,
        },
      );
    }
    if (!res.ok)
      throw new OciError(OciErrorCode.Registry, `${ref}: the token server of ${registry} answered HTTP ${res.status}`, {
        ref,
        status: res.status,
      });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new OciError(OciErrorCode.Registry, `${ref}: the token server of ${registry} did not answer JSON`, { ref });
    }
    const b = body as Record<string, unknown>;
    const token = typeof b['token'] === 'string' && b['token'] ? b['token'] : b['access_token'];
    if (typeof token !== 'string' || !token)
      throw new OciError(OciErrorCode.Registry, `${ref}: the token server of ${registry} answered without a token`, {
        ref,
      });
    const expiresIn = typeof b['expires_in'] === 'number' && b['expires_in'] > 0 ? b['expires_in'] : 60;
    // renew 10 s early so a token does not expire between check and use
    this.#tokens.set(`${registry}|${scope}`, {
      value: token,
      expires: Date.now() + Math.max(0, expiresIn - 10) * 1000,
    });
    return token;
  }
}

/** Reads a response body as text, at most `max` bytes (the rest is cancelled). */
export async function readLimited(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let n = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > max) {
      await reader.cancel();
      break;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
