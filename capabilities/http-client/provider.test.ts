import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderContext, ResolvedLink } from '../sdk/index.ts';
import { WitError } from '../sdk/index.ts';
import { freePort } from '../../lattice/index.ts';
import { HttpClientProvider } from './provider.ts';

// a real upstream: /big answers 1 KiB, /hang never answers, /redirect answers 302, /echo its request head
const hits: string[] = [];
const server = createServer((req, res) => {
  hits.push(req.url ?? '');
  if (req.url === '/big') res.end('x'.repeat(1024));
  else if (req.url === '/echo')
    res
      .setHeader('set-cookie', ['a=1', 'b=2'])
      .end(JSON.stringify({ host: req.headers.host, x: req.headers['x-twice'], method: req.method }));
  else if (req.url === '/redirect') res.writeHead(302, { location: 'http://elsewhere.test/' }).end();
  else if (req.url !== '/hang') res.end('ok');
});
let base = '';
let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const warnings: string[] = [];
function provider(config: Record<string, string>): { p: HttpClientProvider; link: ResolvedLink } {
  const p = new HttpClientProvider();
  const log = {
    info: () => undefined,
    warn: (o: unknown, m: string) => warnings.push(`${m} ${JSON.stringify(o)}`),
    error: () => undefined,
  };
  p.init({
    providerId: 'http-client',
    hostId: 'H',
    lattice: 'l',
    config: {},
    log,
    invoke: () => Promise.resolve(),
  } as unknown as ProviderContext);
  const link = {
    source_id: 'c',
    target: 'http-client',
    name: 'default',
    wit_namespace: 'wasi',
    wit_package: 'http',
    interfaces: ['outgoing-handler'],
    source_config: [],
    target_config: ['cfg'],
    source_config_values: {},
    target_config_values: config,
  };
  p.onLinkAsTarget(link);
  return { p, link };
}
const denials = (): number => warnings.filter((w) => w.includes('denied')).length;
const witErr = async (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => 'no error',
    (e: unknown) => (e instanceof WitError ? e.value : e),
  );
const get = (x: ReturnType<typeof provider>, url: string, headers: [string, string][] = []): Promise<unknown> =>
  x.p.handleImport('c', x.link, 'wasi:http/outgoing-handler', 'handle', [{ method: 'GET', url, headers }]);
const handle = (x: ReturnType<typeof provider>, path: string): Promise<unknown> => get(x, `${base}${path}`);
const check = (x: ReturnType<typeof provider>, url: string): Promise<unknown> =>
  x.p.handleImport('c', x.link, 'wasi:http/outgoing-handler', 'check', [url]);

describe('http-client provider against a real upstream', () => {
  it('refuses a body over max_body_bytes, stops a request past timeout_ms, does not follow redirects', async () => {
    const x = provider({ allowed_hosts: `127.0.0.1:${port}`, max_body_bytes: '100', timeout_ms: '300' });
    expect(await witErr(handle(x, '/big'))).toEqual({ tag: 'HTTP-response-body-size', val: 1024 });
    expect(await witErr(handle(x, '/hang'))).toEqual({ tag: 'connection-timeout' });
    expect(await handle(x, '/redirect')).toMatchObject({
      status: 302,
      headers: expect.arrayContaining([['location', 'http://elsewhere.test/']]) as unknown,
    });
    expect(await handle(x, '/')).toMatchObject({ status: 200, body: new TextEncoder().encode('ok') });
  });

  it('denies hosts off the list and non-HTTP schemes, before connecting; an empty list denies all', async () => {
    const x = provider({ allowed_hosts: 'example.com' });
    expect(await witErr(handle(x, '/'))).toEqual({ tag: 'HTTP-request-denied' });
    expect(
      await witErr(x.p.handleImport('c', x.link, 'wasi:http/outgoing-handler', 'check', ['ftp://example.com/'])),
    ).toEqual({ tag: 'HTTP-request-denied' });
    expect(await witErr(x.p.handleImport('c', x.link, 'wasi:http/outgoing-handler', 'check', ['not a url']))).toEqual({
      tag: 'HTTP-request-URI-invalid',
    });
    expect(await witErr(handle(provider({}), '/'))).toEqual({ tag: 'HTTP-request-denied' });
    expect(warnings.some((w) => w.includes('denied'))).toBe(true);
  });

  it('maps a refused connection to connection-refused', async () => {
    const free = await freePort();
    const x = provider({ allowed_hosts: `127.0.0.1:${free}` });
    expect(await witErr(get(x, `http://127.0.0.1:${free}/`))).toEqual({ tag: 'connection-refused' });
  });

  it('* reaches no loopback, private or metadata address, by IP literal or by a name resolving to one; nothing is sent', async () => {
    const x = provider({ allowed_hosts: '*' });
    const before = hits.length;
    for (const url of [
      `${base}/echo`,
      `http://localhost:${port}/echo`,
      `http://[::ffff:127.0.0.1]:${port}/echo`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://[fd00:ec2::254]/',
      'http://2130706433:1/',
    ]) {
      expect(await witErr(get(x, url)), url).toEqual({ tag: 'HTTP-request-denied' });
    }
    // an IP literal is refused at `check` already; a name only when it connects (its addresses are not known before)
    expect(await witErr(check(x, `${base}/`))).toEqual({ tag: 'HTTP-request-denied' });
    expect(await check(x, `http://localhost:${port}/`)).toBeNull();
    expect(hits.length).toBe(before);
  });

  it('an IP entry allows that address on its port only; a name resolving to it needs both the name and the IP', async () => {
    const x = provider({ allowed_hosts: `127.0.0.1:${port}` });
    expect(await get(x, `${base}/echo`)).toMatchObject({ status: 200 });
    expect(await witErr(get(x, `http://127.0.0.1:${await freePort()}/`))).toEqual({ tag: 'HTTP-request-denied' });
    expect(await witErr(get(x, `http://localhost:${port}/echo`))).toEqual({ tag: 'HTTP-request-denied' });
    const named = provider({ allowed_hosts: `localhost:${port}` });
    const n = denials();
    for (let i = 0; i < 5; i++)
      expect(await witErr(get(named, `http://localhost:${port}/echo`))).toEqual({ tag: 'HTTP-request-denied' });
    // one warning for the five (rate-limited per component), naming the component, the destination and the address
    const lines = warnings.slice(n);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`"component":"c","destination":"localhost:${port}".*127\\.0\\.0\\.1: loopback`),
    );
    const both = provider({ allowed_hosts: `localhost:${port} 127.0.0.1:${port} [::1]:${port}` });
    expect(await get(both, `http://localhost:${port}/echo`)).toMatchObject({ status: 200 });
    const cidr = provider({ allowed_hosts: `127.0.0.0/8:${port}` });
    expect(await get(cidr, `${base}/echo`)).toMatchObject({ status: 200 });
  });

  it("sends the URL authority as Host (not the guest's), repeated headers as they came, and hands back repeated response headers", async () => {
    const x = provider({ allowed_hosts: `127.0.0.1:${port}` });
    const r = (await get(x, `${base}/echo`, [
      ['host', 'evil.test'],
      ['x-twice', '1'],
      ['x-twice', '2'],
      ['connection', 'upgrade'],
    ])) as { body: Uint8Array; headers: [string, string][] };
    expect(JSON.parse(new TextDecoder().decode(r.body))).toEqual({
      host: `127.0.0.1:${port}`,
      x: '1, 2',
      method: 'GET',
    });
    expect(r.headers.filter(([k]) => k === 'set-cookie')).toEqual([
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ]);
    expect(r.headers.some(([k]) => k === 'connection' || k === 'keep-alive')).toBe(false);
  });
});
