import { describe, expect, it } from 'vitest';
import { addressRefusal, allows, parseAllowList } from './allow-list.ts';

const ok = (list: string, url: string): boolean => allows(parseAllowList(list), new URL(url));
/** Both halves of the rule: the URL by name and port, then the address it connects to. */
const reach = (list: string, url: string, address: string): boolean =>
  ok(list, url) && addressRefusal(parseAllowList(list), new URL(url), address) === undefined;

describe('http-client allow-list', () => {
  it('denies everything when empty', () => {
    expect(ok('', 'http://example.com/')).toBe(false);
  });
  it('matches exact hosts; an entry without a port allows the scheme default port only', () => {
    expect(ok('example.com', 'https://example.com/x')).toBe(true);
    expect(ok('example.com', 'http://example.com/x')).toBe(true);
    expect(ok('example.com', 'https://example.com:443/x')).toBe(true);
    expect(ok('example.com', 'https://example.com:6379/')).toBe(false);
    expect(ok('example.com', 'http://example.com:443/')).toBe(false);
    expect(ok('example.com', 'https://example.com:80/')).toBe(false);
    expect(ok('example.com', 'https://api.example.com/x')).toBe(false);
    expect(ok('example.com:8443', 'https://example.com:8443/')).toBe(true);
    expect(ok('example.com:8443', 'https://example.com/')).toBe(false);
    expect(ok('127.0.0.1:80', 'http://127.0.0.1/')).toBe(true);
  });
  it('matches subdomains with *., under the same port rule', () => {
    expect(ok('*.example.com', 'https://api.example.com/')).toBe(true);
    expect(ok('*.example.com', 'https://api.example.com:8443/')).toBe(false);
    expect(ok('*.example.com:8443', 'https://api.example.com:8443/')).toBe(true);
    expect(ok('*.example.com', 'https://example.com/')).toBe(false);
    expect(ok('*.example.com', 'https://evilexample.com/')).toBe(false);
  });
  it('* names every host on every port, but only public addresses', () => {
    expect(ok('*', 'http://example.com:9/')).toBe(true);
    expect(ok('*', 'http://10.0.0.1:9/')).toBe(true);
    expect(reach('*', 'http://example.com:9/', '93.184.215.14')).toBe(true);
    expect(reach('*', 'http://10.0.0.1:9/', '10.0.0.1')).toBe(false);
    expect(reach('*', 'http://169.254.169.254/latest/meta-data/', '169.254.169.254')).toBe(false);
    expect(reach('*', 'http://rebound.example.com/', '127.0.0.1')).toBe(false);
  });
  it('a private address is reachable only through an IP or CIDR entry that holds it, on that entry port', () => {
    expect(reach('api.example.com', 'https://api.example.com/', '10.0.0.5')).toBe(false);
    expect(reach('api.example.com, 10.0.0.5', 'https://api.example.com/', '10.0.0.5')).toBe(true); // no port: the URL's scheme default (443)
    expect(reach('api.example.com:8443, 10.0.0.5', 'https://api.example.com:8443/', '10.0.0.5')).toBe(false); // 10.0.0.5 means :443 only
    expect(reach('api.example.com, 10.0.0.5:443', 'https://api.example.com/', '10.0.0.5')).toBe(true);
    expect(reach('api.example.com, 10.0.0.0/8:443', 'https://api.example.com/', '10.9.9.9')).toBe(true);
    expect(reach('10.0.0.0/8:8080', 'http://10.1.2.3:8080/', '10.1.2.3')).toBe(true);
    expect(reach('10.0.0.0/8:8080', 'http://10.1.2.3:8081/', '10.1.2.3')).toBe(false);
    expect(reach('10.0.0.0/8:8080', 'http://11.1.2.3:8080/', '11.1.2.3')).toBe(false);
    expect(reach('127.0.0.1:3000', 'http://127.0.0.1:3000/', '127.0.0.1')).toBe(true);
    expect(reach('127.0.0.1:3000', 'http://localhost:3000/', '127.0.0.1')).toBe(false); // the name is not on the list
    expect(reach('localhost:3000', 'http://localhost:3000/', '127.0.0.1')).toBe(false); // the name is, its address not
    expect(reach('localhost:3000, 127.0.0.1:3000', 'http://localhost:3000/', '127.0.0.1')).toBe(true);
    expect(reach('[::1]:8080', 'http://[::1]:8080/', '::1')).toBe(true);
    expect(reach('[fd00::/8]', 'http://[fd12::1]/', 'fd12::1')).toBe(true);
    expect(reach('127.0.0.1', 'http://[::ffff:127.0.0.1]/', '::ffff:127.0.0.1')).toBe(true); // the same address
    expect(reach('api.example.com', 'https://api.example.com/', '2606:4700::1')).toBe(true);
  });
  it('reads comma and space separated lists, case-insensitive, and reports the entries it cannot read', () => {
    expect(ok('a.test, B.TEST  c.test', 'http://b.test/')).toBe(true);
    expect(ok('[::1]:8080', 'http://[::1]:8080/')).toBe(true);
    expect(ok('example.com.', 'http://example.com/')).toBe(true);
    expect(parseAllowList('a.test, *.10.0.0.0/8, x.test:99999, [nope], 1.2.3.4/40, b.test:0').invalid).toEqual([
      '*.10.0.0.0/8',
      'x.test:99999',
      '[nope]',
      '1.2.3.4/40',
      'b.test:0',
    ]);
    expect(parseAllowList('a.test, *.10.0.0.0/8').patterns).toHaveLength(1);
  });
});
