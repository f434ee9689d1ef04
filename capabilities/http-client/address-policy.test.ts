import { describe, expect, it } from 'vitest';
import { refusedRange } from './address-policy.ts';
import { formatIp, inCidr, parseCidr, parseIp } from './ip.ts';

/** The host part of a URL as `check` gets it: WHATWG URL has already normalised it. */
const hostOf = (url: string): string => new URL(url).hostname;

describe('ip parsing', () => {
  it('reads IPv4, IPv6 (with ::, brackets, zones, dotted tails) and reads IPv4-mapped IPv6 as IPv4', () => {
    expect(formatIp(parseIp('10.1.2.3')!)).toBe('10.1.2.3');
    expect(formatIp(parseIp('[FE80::1%eth0]')!)).toBe('fe80::1');
    expect(formatIp(parseIp('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
    expect(formatIp(parseIp('::ffff:127.0.0.1')!)).toBe('127.0.0.1');
    expect(formatIp(parseIp('::ffff:7f00:1')!)).toBe('127.0.0.1');
    expect(formatIp(parseIp('0:0:0:0:0:ffff:a9fe:a9fe')!)).toBe('169.254.169.254');
    expect(formatIp(parseIp('64:ff9b::10.0.0.1')!)).toBe('64:ff9b::a00:1');
    expect(formatIp(parseIp('1:2:3:4:5:6:7:8')!)).toBe('1:2:3:4:5:6:7:8');
    expect(formatIp(parseIp('::')!)).toBe('::');
    for (const bad of ['example.com', '1.2.3', '256.1.1.1', '1.2.3.4.5', ':::', '', '0x7f.1'])
      expect(parseIp(bad)).toBeUndefined();
  });
  it('reads CIDR blocks and tests membership bit by bit', () => {
    const b = parseCidr('172.16.0.0/12')!;
    expect(inCidr(parseIp('172.31.255.255')!, b)).toBe(true);
    expect(inCidr(parseIp('172.32.0.0')!, b)).toBe(false);
    expect(inCidr(parseIp('172.15.255.255')!, b)).toBe(false);
    expect(inCidr(parseIp('::ffff:172.16.0.1')!, b)).toBe(true);
    expect(inCidr(parseIp('fd12::1')!, parseCidr('fc00::/7')!)).toBe(true);
    expect(inCidr(parseIp('fe00::1')!, parseCidr('fc00::/7')!)).toBe(false);
    expect(inCidr(parseIp('10.0.0.1')!, parseCidr('::ffff:10.0.0.0/104')!)).toBe(true);
    expect(inCidr(parseIp('10.0.0.1')!, parseCidr('fc00::/7')!)).toBe(false);
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('fd00::/129')).toBeUndefined();
    expect(parseCidr('example.com/8')).toBeUndefined();
    expect(parseCidr('10.0.0.7')).toEqual({ base: parseIp('10.0.0.7'), bits: 32 });
  });
});

describe('refused destination addresses', () => {
  const refused: [string, RegExp][] = [
    ['127.0.0.1', /loopback/],
    ['127.255.255.254', /loopback/],
    ['::1', /loopback/],
    ['::ffff:127.0.0.1', /loopback/],
    ['10.0.0.1', /RFC 1918/],
    ['172.16.0.1', /RFC 1918/],
    ['172.31.255.255', /RFC 1918/],
    ['192.168.1.1', /RFC 1918/],
    ['::ffff:192.168.1.1', /RFC 1918/],
    ['169.254.169.254', /metadata/],
    ['::ffff:169.254.169.254', /metadata/],
    ['169.254.170.2', /metadata/],
    ['169.254.1.1', /link-local/],
    ['fd00:ec2::254', /metadata/],
    ['100.100.100.200', /metadata/],
    ['168.63.129.16', /metadata/],
    ['fe80::1', /link-local/],
    ['febf::1', /link-local/],
    ['fc00::1', /ULA/],
    ['fdff:ffff::1', /ULA/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.127.255.255', /carrier-grade NAT/],
    ['0.0.0.0', /unspecified/],
    ['0.1.2.3', /this network/],
    ['::', /unspecified/],
    ['224.0.0.1', /multicast/],
    ['239.255.255.250', /multicast/],
    ['ff02::1', /multicast/],
    ['255.255.255.255', /broadcast/],
    ['240.0.0.1', /reserved/],
    ['::127.0.0.1', /IPv4-compatible/],
    ['64:ff9b::7f00:1', /loopback, inside NAT64/],
    ['64:ff9b::a9fe:a9fe', /metadata.*inside NAT64/],
    ['2002:7f00:1::', /loopback, inside 6to4/],
    ['2002:c0a8:101::1', /RFC 1918\), inside 6to4/],
    ['2001:db8::1', /documentation/],
    ['192.0.2.1', /documentation/],
    ['not-an-ip', /not an IP address/],
  ];
  it.each(refused)('refuses %s', (address, reason) => {
    expect(refusedRange(address)).toMatch(reason);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '93.184.215.14',
    '172.32.0.1',
    '172.15.255.255',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.255.255',
    '11.0.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
    'fbff::1',
  ])('lets the public address %s through', (address) => {
    expect(refusedRange(address)).toBeUndefined();
  });

  it('sees what URL normalisation hands it: decimal, hex, octal and short IPv4 forms, mapped IPv6', () => {
    expect(hostOf('http://2130706433/')).toBe('127.0.0.1');
    expect(hostOf('http://0x7f.1/')).toBe('127.0.0.1');
    expect(hostOf('http://0177.0.0.1/')).toBe('127.0.0.1');
    expect(hostOf('http://127.1/')).toBe('127.0.0.1');
    expect(hostOf('http://0/')).toBe('0.0.0.0');
    expect(hostOf('http://[::ffff:169.254.169.254]/')).toBe('[::ffff:a9fe:a9fe]');
    for (const url of [
      'http://2130706433/',
      'http://0x7f.1/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://0/',
      'http://[::ffff:169.254.169.254]/',
      'http://[0:0::1]/',
      'http://[::ffff:0a00:0001]/',
    ]) {
      expect(refusedRange(hostOf(url))).toBeDefined();
    }
  });
});
