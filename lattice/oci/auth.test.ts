import { describe, expect, it } from 'vitest';
import { basicAuthorization, parseWwwAuthenticate, repositoryScope, TokenCache } from './auth.ts';
import { OciError } from './errors.ts';

describe('parseWwwAuthenticate', () => {
  it('reads distribution Bearer challenges', () => {
    expect(
      parseWwwAuthenticate(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/nginx:pull',
        },
      },
    ]);
  });
  it('reads Basic, unquoted values, spaces, escapes and several challenges', () => {
    expect(parseWwwAuthenticate('Basic realm="weft test"')).toEqual([
      { scheme: 'basic', params: { realm: 'weft test' } },
    ]);
    expect(parseWwwAuthenticate('Bearer realm=https://x/t , service = reg, error="insufficient_scope"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://x/t', service: 'reg', error: 'insufficient_scope' } },
    ]);
    expect(parseWwwAuthenticate('Bearer realm="a\\"b"')[0]!.params['realm']).toBe('a"b');
    expect(parseWwwAuthenticate('Basic realm="r", Bearer realm="https://t",service="s"').map((c) => c.scheme)).toEqual([
      'basic',
      'bearer',
    ]);
  });
  it('survives garbage', () => {
    expect(parseWwwAuthenticate('')).toEqual([]);
    expect(parseWwwAuthenticate('="x"')).toEqual([]);
    expect(parseWwwAuthenticate('Bearer realm="unterminated')).toEqual([
      { scheme: 'bearer', params: { realm: 'unterminated' } },
    ]);
  });
});

describe('credentials and scopes', () => {
  it('builds Basic only from a user and a password', () => {
    expect(basicAuthorization({ username: 'u', password: 'p:w' })).toBe(
      `Basic ${Buffer.from('u:p:w').toString('base64')}`,
    );
    expect(basicAuthorization({ token: 't' })).toBeUndefined();
    expect(basicAuthorization(undefined)).toBeUndefined();
  });
  it('asks for pull or pull,push', () => {
    expect(repositoryScope('a/b', false)).toBe('repository:a/b:pull');
    expect(repositoryScope('a/b', true)).toBe('repository:a/b:pull,push');
  });
});

describe('TokenCache', () => {
  const challenge = {
    scheme: 'bearer',
    params: { realm: 'https://auth.example/token', service: 'reg', scope: 'repository:a:pull' },
  };
  const answer = (status: number, body: unknown) => async (): Promise<Response> =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });

  it('sends service, scope and Basic credentials to the realm and caches the token per scope', async () => {
    const cache = new TokenCache();
    const seen: { url: URL; auth: string | null }[] = [];
    const fetchToken = async (url: URL, init: RequestInit): Promise<Response> => {
      seen.push({ url, auth: new Headers(init.headers).get('authorization') });
      return new Response(JSON.stringify({ access_token: 'tok-1', expires_in: 300 }));
    };
    const tok = await cache.fetch(
      'reg.example',
      'repository:a:pull,push',
      challenge,
      { username: 'u', password: 'p' },
      fetchToken,
      'reg.example/a:1',
    );
    expect(tok).toBe('tok-1');
    expect(seen[0]!.url.searchParams.get('service')).toBe('reg');
    expect(seen[0]!.url.searchParams.getAll('scope')).toEqual(['repository:a:pull,push', 'repository:a:pull']);
    expect(seen[0]!.auth).toBe(basicAuthorization({ username: 'u', password: 'p' }));
    expect(cache.get('reg.example', 'repository:a:pull,push')).toBe('tok-1');
    expect(cache.get('reg.example', 'repository:a:pull')).toBeUndefined();
    cache.forget('reg.example', 'repository:a:pull,push');
    expect(cache.get('reg.example', 'repository:a:pull,push')).toBeUndefined();
  });

  it('does not keep a token that expires within 10 s', async () => {
    const cache = new TokenCache();
    await cache.fetch('r', 's', challenge, undefined, answer(200, { token: 't', expires_in: 5 }), 'ref');
    expect(cache.get('r', 's')).toBeUndefined();
  });

  it.each([
    [401, { errors: [] }, 'OCI_UNAUTHORIZED', /refused anonymous access/],
    [500, 'oops', 'OCI_REGISTRY', /HTTP 500/],
    [200, '<html>', 'OCI_REGISTRY', /did not answer JSON/],
    [200, { token: '' }, 'OCI_REGISTRY', /without a token/],
  ])('maps a token answer %i to a coded error', async (status, body, code, why) => {
    const err = await new TokenCache()
      .fetch('r', 's', challenge, undefined, answer(status, body), 'r/a:1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OciError);
    expect((err as OciError).code).toBe(code);
    expect((err as OciError).message).toMatch(why);
    expect((err as OciError).message).toContain('r/a:1');
  });

  it('never puts the password in an error', async () => {
    const err = (await new TokenCache()
      .fetch('r', 's', challenge, { username: 'u', password: 'hunter2' }, answer(401, ''), 'r/a:1')
      .catch((e: unknown) => e)) as OciError;
    expect(err.code).toBe('OCI_UNAUTHORIZED');
    expect(`${err.message} ${err.hint}`).not.toContain('hunter2');
    expect(err.hint).toContain('weft reg login r');
  });

  it('refuses a challenge without a usable realm', async () => {
    const noRealm = { scheme: 'bearer', params: {} };
    await expect(new TokenCache().fetch('r', 's', noRealm, undefined, answer(200, {}), 'x')).rejects.toThrow(
      /no realm/,
    );
    await expect(
      new TokenCache().fetch(
        'r',
        's',
        { scheme: 'bearer', params: { realm: 'not a url' } },
        undefined,
        answer(200, {}),
        'x',
      ),
    ).rejects.toThrow(/not a URL/);
  });
});
