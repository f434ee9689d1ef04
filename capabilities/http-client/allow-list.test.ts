import { describe, expect, it } from 'vitest';
import { allows, parseAllowList } from './allow-list.ts';

const ok = (list: string, url: string): boolean => allows(parseAllowList(list), new URL(url));

describe('http-client allow-list', () => {
  it('denies everything when empty', () => {
    expect(ok('', 'http://example.com/')).toBe(false);
  });
  it('matches exact hosts, any port unless one is named', () => {
    expect(ok('example.com', 'https://example.com/x')).toBe(true);
    expect(ok('example.com', 'https://api.example.com/x')).toBe(false);
    expect(ok('example.com:8443', 'https://example.com:8443/')).toBe(true);
    expect(ok('example.com:8443', 'https://example.com/')).toBe(false);
    expect(ok('127.0.0.1:80', 'http://127.0.0.1/')).toBe(true);
  });
  it('matches subdomains with *. and everything with *', () => {
    expect(ok('*.example.com', 'https://api.example.com/')).toBe(true);
    expect(ok('*.example.com', 'https://example.com/')).toBe(false);
    expect(ok('*.example.com', 'https://evilexample.com/')).toBe(false);
    expect(ok('*', 'http://10.0.0.1:9/')).toBe(true);
  });
  it('reads comma and space separated lists, case-insensitive', () => {
    expect(ok('a.test, B.TEST  c.test', 'http://b.test/')).toBe(true);
    expect(ok('[::1]:8080', 'http://[::1]:8080/')).toBe(true);
  });
});
