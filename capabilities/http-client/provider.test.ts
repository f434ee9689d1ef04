import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderContext, ResolvedLink } from '../sdk/index.ts';
import { WitError } from '../sdk/index.ts';
import { freePort } from '../../lattice/index.ts';
import { HttpClientProvider } from './provider.ts';

// a real upstream: /big answers 1 KiB, /hang never answers, /redirect answers 302
const server = createServer((req, res) => {
  if (req.url === '/big') res.end('x'.repeat(1024));
  else if (req.url === '/redirect') res.writeHead(302, { location: 'http://elsewhere.test/' }).end();
  else if (req.url !== '/hang') res.end('ok');
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const warnings: string[] = [];
function provider(config: Record<string, string>): { p: HttpClientProvider; link: ResolvedLink } {
  const p = new HttpClientProvider();
  const log = { info: () => undefined, warn: (_o: unknown, m: string) => warnings.push(m), error: () => undefined };
  p.init({ providerId: 'http-client', hostId: 'H', lattice: 'l', config: {}, log, invoke: () => Promise.resolve() } as unknown as ProviderContext);
  const link = { source_id: 'c', target: 'http-client', name: 'default', wit_namespace: 'wasi', wit_package: 'http', interfaces: ['outgoing-handler'], source_config: [], target_config: ['cfg'], source_config_values: {}, target_config_values: config };
  p.onLinkAsTarget(link);
  return { p, link };
}
const witErr = async (p: Promise<unknown>): Promise<unknown> => p.then(() => 'no error', (e: unknown) => (e instanceof WitError ? e.value : e));
const handle = (x: ReturnType<typeof provider>, path: string): Promise<unknown> => x.p.handleImport('c', x.link, 'wasi:http/outgoing-handler', 'handle', [{ method: 'GET', url: `${base}${path}`, headers: [] }]);

describe('http-client provider against a real upstream', () => {
  it('refuses a body over max_body_bytes, stops a request past timeout_ms, does not follow redirects', async () => {
    const x = provider({ allowed_hosts: '127.0.0.1', max_body_bytes: '100', timeout_ms: '300' });
    expect(await witErr(handle(x, '/big'))).toEqual({ tag: 'HTTP-response-body-size', val: 1024 });
    expect(await witErr(handle(x, '/hang'))).toEqual({ tag: 'connection-timeout' });
    expect(await handle(x, '/redirect')).toMatchObject({ status: 302, headers: expect.arrayContaining([['location', 'http://elsewhere.test/']]) as unknown });
    expect(await handle(x, '/')).toMatchObject({ status: 200, body: new TextEncoder().encode('ok') });
  });

  it('denies hosts off the list and non-HTTP schemes, before connecting; an empty list denies all', async () => {
    const x = provider({ allowed_hosts: 'example.com' });
    expect(await witErr(handle(x, '/'))).toEqual({ tag: 'HTTP-request-denied' });
    expect(await witErr(x.p.handleImport('c', x.link, 'wasi:http/outgoing-handler', 'check', ['ftp://example.com/']))).toEqual({ tag: 'HTTP-request-denied' });
    expect(await witErr(x.p.handleImport('c', x.link, 'wasi:http/outgoing-handler', 'check', ['not a url']))).toEqual({ tag: 'HTTP-request-URI-invalid' });
    expect(await witErr(handle(provider({}), '/'))).toEqual({ tag: 'HTTP-request-denied' });
    expect(warnings.some((w) => w.includes('denied'))).toBe(true);
  });

  it('maps a refused connection to connection-refused', async () => {
    const x = provider({ allowed_hosts: '*' });
    const r = await witErr(x.p.handleImport('c', x.link, 'wasi:http/outgoing-handler', 'handle', [{ method: 'GET', url: `http://127.0.0.1:${await freePort()}/`, headers: [] }]));
    expect(r).toEqual({ tag: 'connection-refused' });
  });
});
