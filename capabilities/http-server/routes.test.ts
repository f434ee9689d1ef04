import { describe, expect, it } from 'vitest';
import type { ResolvedLink } from '../sdk/index.ts';
import {
  DEFAULT_HANDLER_TIMEOUT_MS,
  DEFAULT_LIMITS,
  DEFAULT_MAX_BODY_BYTES,
  authorityOf,
  hostnameOf,
  limitsOf,
  pickRoute,
  routeOf,
} from './routes.ts';

const link = (name: string, cfg: Record<string, string>): ResolvedLink => ({
  source_id: 'http',
  target: `c-${name}`,
  name,
  wit_namespace: 'wasi',
  wit_package: 'http',
  interfaces: ['incoming-handler'],
  source_config: [],
  target_config: [],
  source_config_values: { address: '127.0.0.1:8080', ...cfg },
  target_config_values: {},
});
const route = (name: string, cfg: Record<string, string> = {}): ReturnType<typeof routeOf> =>
  routeOf(link(name, cfg), {});

describe('http-server routes', () => {
  it('reads a Host the way URL does: lower case, IPv6 in brackets, no port, no trailing dot; rejects what is no authority', () => {
    expect(hostnameOf('Example.COM')).toBe('example.com');
    expect(hostnameOf('example.com.:8080')).toBe('example.com');
    expect(hostnameOf('[::1]:8080')).toBe('[::1]');
    expect(hostnameOf('[0:0::1]')).toBe('[::1]');
    expect(hostnameOf('127.0.0.1:80')).toBe('127.0.0.1');
    for (const bad of ['a@b.test', 'a.test/x', 'a b', 'a.test?x', 'a.test#x', '[::1', 'a.test:99999', '', undefined])
      expect(hostnameOf(bad), String(bad)).toBeUndefined();
  });

  it('routes by host case-insensitively, with a port, a trailing dot or IPv6, then by path, else the default route', () => {
    const routes = [
      route('a', { host: 'A.Example' }),
      route('v6', { host: '[::1]' }),
      route('api', { path: '/api' }),
      route('default'),
    ];
    const pick = (host: string | undefined, path = '/'): string | undefined => pickRoute(routes, host, path)?.linkName;
    expect(pick('a.example')).toBe('a');
    expect(pick('A.EXAMPLE.:8080')).toBe('a');
    expect(pick('[::1]:8080')).toBe('v6');
    expect(pick('other.test', '/api/x')).toBe('api');
    expect(pick('other.test', '/apix')).toBe('default');
    expect(pick(undefined)).toBe('default');
    expect(pick('a.example@evil.test')).toBe('default');
  });

  it('gives the guest the route host (validated) or the listener address as the URL authority, never a Host it did not check', () => {
    const a = route('a', { host: 'a.example' });
    const plainRoute = route('default');
    expect(authorityOf(a, 'A.example:8080')).toBe('a.example:8080');
    expect(authorityOf(a, 'a.example')).toBe('a.example');
    expect(authorityOf(plainRoute, 'evil.test')).toBe('127.0.0.1:8080');
    expect(authorityOf(plainRoute, undefined)).toBe('127.0.0.1:8080');
    expect(authorityOf(a, 'evil.test')).toBe('127.0.0.1:8080');
  });

  it('reads the limits (keys case-insensitive, bad values ignored); a listener takes the strictest of its routes', () => {
    expect(route('d').maxBodyBytes).toBe(DEFAULT_MAX_BODY_BYTES);
    expect(route('d', { MAX_BODY_BYTES: '10' }).maxBodyBytes).toBe(10);
    expect(route('d', { max_body_bytes: '-1' }).maxBodyBytes).toBe(DEFAULT_MAX_BODY_BYTES);
    expect(route('d', { max_body_bytes: 'lots' }).maxBodyBytes).toBe(DEFAULT_MAX_BODY_BYTES);
    expect(limitsOf([route('d')])).toEqual(DEFAULT_LIMITS);
    const strict = route('s', { max_connections: '5', request_timeout_ms: '2000', headers_timeout_ms: '5000' });
    const loose = route('l', { max_connections: '50', request_timeout_ms: '9000', headers_timeout_ms: '1000' });
    // headers_timeout never above request_timeout (Node needs that)
    expect(limitsOf([strict, loose, route('d')])).toEqual({
      maxConnections: 5,
      requestTimeoutMs: 2000,
      headersTimeoutMs: 1000,
    });
    expect(limitsOf([strict])).toEqual({ maxConnections: 5, requestTimeoutMs: 2000, headersTimeoutMs: 2000 });
  });

  it('a link without timeout_ms gets the handler limit: 30 s, or the host flag; a bad value falls back to it', () => {
    expect(DEFAULT_HANDLER_TIMEOUT_MS).toBe(30_000);
    expect(route('d').timeoutMs).toBe(30_000);
    expect(route('t', { timeout_ms: '400' }).timeoutMs).toBe(400);
    expect(route('b', { TIMEOUT_MS: 'soon' }).timeoutMs).toBe(30_000);
    expect(route('z', { timeout_ms: '0' }).timeoutMs).toBe(30_000);
    expect(routeOf(link('h', {}), {}, 5000).timeoutMs).toBe(5000);
    expect(routeOf(link('h', { timeout_ms: '700' }), {}, 5000).timeoutMs).toBe(700);
    // the provider's own config (its start config) applies to each of its links
    expect(routeOf(link('p', {}), { timeout_ms: '900' }, 5000).timeoutMs).toBe(900);
  });
});
