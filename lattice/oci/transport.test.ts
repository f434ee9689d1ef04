import { describe, expect, it } from 'vitest';
import { OciError } from './errors.ts';
import { errorFromResponse, Transport } from './transport.ts';

type Call = { url: string; auth: string | null; method: string };

function fakeFetch(answers: ((url: URL) => Response)[], calls: Call[]): typeof fetch {
  return (async (input: URL | string, init?: RequestInit) => {
    const url = new URL(String(input));
    calls.push({ url: url.href, auth: new Headers(init?.headers).get('authorization'), method: init?.method ?? 'GET' });
    const next = answers.shift();
    if (!next) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    return next(url);
  }) as typeof fetch;
}

const redirect =
  (to: string, status = 307) =>
  () =>
    new Response(null, { status, headers: { location: to } });

describe('Transport', () => {
  it('speaks plain HTTP only to loopback and allowed hosts', () => {
    const t = new Transport({ allowInsecure: ['reg.lan:5000'] });
    expect(t.baseUrl('localhost:5000')).toBe('http://localhost:5000');
    expect(t.baseUrl('127.0.0.1:41000')).toBe('http://127.0.0.1:41000');
    expect(t.baseUrl('reg.lan:5000')).toBe('http://reg.lan:5000');
    expect(t.baseUrl('reg.lan')).toBe('https://reg.lan');
    expect(t.baseUrl('ghcr.io')).toBe('https://ghcr.io');
  });

  it('drops Authorization on a redirect to another origin and keeps it on the same origin', async () => {
    const calls: Call[] = [];
    const t = new Transport({
      fetch: fakeFetch(
        [redirect('/v2/x/blobs/2'), redirect('https://cdn.example/blob?sig=1'), () => new Response('ok')],
        calls,
      ),
    });
    const res = await t.request(
      new URL('https://reg.example/v2/x/blobs/1'),
      { headers: { authorization: 'Bearer t' } },
      'reg.example/x:1',
    );
    expect(await res.text()).toBe('ok');
    expect(calls.map((c) => [c.url, c.auth])).toEqual([
      ['https://reg.example/v2/x/blobs/1', 'Bearer t'],
      ['https://reg.example/v2/x/blobs/2', 'Bearer t'],
      ['https://cdn.example/blob?sig=1', null],
    ]);
  });

  it('refuses a redirect from HTTPS down to plain HTTP', async () => {
    const calls: Call[] = [];
    const t = new Transport({ fetch: fakeFetch([redirect('http://evil.example/blob')], calls) });
    const err = (await t
      .request(new URL('https://reg.example/v2/x/blobs/1'), {}, 'reg.example/x:1')
      .catch((e: unknown) => e)) as OciError;
    expect(err.code).toBe('OCI_INSECURE');
    expect(err.hint).toContain('--allow-insecure-registries evil.example');
    expect(calls).toHaveLength(1);
  });

  it('refuses plain HTTP to a host that is not allowed, before any request', async () => {
    const calls: Call[] = [];
    const t = new Transport({ fetch: fakeFetch([], calls) });
    await expect(t.request(new URL('http://reg.example/v2/'), {}, 'reg.example/x:1')).rejects.toMatchObject({
      code: 'OCI_INSECURE',
    });
    expect(calls).toHaveLength(0);
  });

  it('stops after 5 redirects', async () => {
    const loop = Array.from({ length: 7 }, () => redirect('/again'));
    const t = new Transport({ fetch: fakeFetch(loop, []) });
    await expect(t.request(new URL('https://r.example/v2/'), {}, 'r')).rejects.toMatchObject({
      code: 'OCI_REGISTRY',
      message: expect.stringMatching(/more than 5 redirects/),
    });
  });

  it('names an unreachable registry and a timeout', async () => {
    const t = new Transport({ fetch: fakeFetch([], []) });
    await expect(t.request(new URL('https://r.example/v2/'), {}, 'r.example/a:1')).rejects.toMatchObject({
      code: 'OCI_UNREACHABLE',
      message: expect.stringMatching(/r.example\/a:1: cannot reach registry r.example \(ECONNREFUSED\)/),
    });
    const slow = (async (_u: unknown, init?: RequestInit) =>
      new Promise((_r, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)),
      )) as typeof fetch;
    await expect(
      new Transport({ fetch: slow, timeoutMs: 20 }).request(new URL('https://r.example/v2/'), {}, 'r'),
    ).rejects.toMatchObject({ code: 'OCI_TIMEOUT' });
  });
});

describe('errorFromResponse', () => {
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  it.each([
    [
      json(401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }),
      'OCI_UNAUTHORIZED',
      /UNAUTHORIZED: authentication required/,
    ],
    [json(403, { errors: [{ code: 'DENIED', message: 'no' }] }), 'OCI_DENIED', /HTTP 403/],
    [
      json(404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }),
      'OCI_NOT_FOUND',
      /MANIFEST_UNKNOWN/,
    ],
    [
      json(400, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known' }] }),
      'OCI_NOT_FOUND',
      /NAME_UNKNOWN/,
    ],
    [new Response('too big', { status: 413 }), 'OCI_TOO_LARGE', /HTTP 413/],
    [
      new Response('<!DOCTYPE html><h1>Bad Gateway</h1>', { status: 502, headers: { 'content-type': 'text/html' } }),
      'OCI_REGISTRY',
      /HTML page, not the registry API/,
    ],
    [new Response('{broken', { status: 500 }), 'OCI_REGISTRY', /HTTP 500$/],
  ])('maps %#', async (res, code, why) => {
    const err = await errorFromResponse(res, 'reg/x:1', 'reg', 'manifest 1');
    expect(err).toBeInstanceOf(OciError);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(/reg\/x:1: manifest 1 failed/);
    expect(err.message).toMatch(why);
    expect(err.hint).toBeTruthy();
  });
});
