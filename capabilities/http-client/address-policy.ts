/**
 * Which destination addresses are not the public internet: loopback, private, link-local, cloud metadata and the
 * other special-purpose blocks (IANA's registries). The http-client refuses to connect to them unless the link's
 * allow-list names the address (or a CIDR block holding it), so a guest cannot reach the host's own services, the
 * local network or a metadata endpoint, whatever the host name it asks for resolves to.
 */
import { formatIp, inCidr, parseCidr, parseIp } from './ip.ts';
import type { Cidr, Ip } from './ip.ts';

/** One refused block, with the name the host log and the README use. */
interface Range {
  block: Cidr;
  name: string;
}

/** The refused blocks, most specific first (the first match names the reason). Documented in the README's table. */
export const REFUSED_RANGES: readonly { cidr: string; name: string }[] = [
  { cidr: '169.254.169.254/32', name: 'cloud metadata (AWS, GCP, Azure, OpenStack, …)' },
  { cidr: '169.254.170.2/32', name: 'cloud metadata (AWS ECS task)' },
  { cidr: '100.100.100.200/32', name: 'cloud metadata (Alibaba)' },
  { cidr: '168.63.129.16/32', name: 'cloud metadata (Azure wire server)' },
  { cidr: '192.0.0.192/32', name: 'cloud metadata (Oracle)' },
  { cidr: 'fd00:ec2::254/128', name: 'cloud metadata (AWS, IPv6)' },
  { cidr: '0.0.0.0/8', name: 'unspecified / this network' },
  { cidr: '10.0.0.0/8', name: 'private (RFC 1918)' },
  { cidr: '100.64.0.0/10', name: 'carrier-grade NAT (RFC 6598)' },
  { cidr: '127.0.0.0/8', name: 'loopback' },
  { cidr: '169.254.0.0/16', name: 'link-local' },
  { cidr: '172.16.0.0/12', name: 'private (RFC 1918)' },
  { cidr: '192.0.0.0/24', name: 'IETF protocol assignments' },
  { cidr: '192.0.2.0/24', name: 'documentation' },
  { cidr: '192.88.99.0/24', name: '6to4 relay anycast' },
  { cidr: '192.168.0.0/16', name: 'private (RFC 1918)' },
  { cidr: '198.18.0.0/15', name: 'benchmarking' },
  { cidr: '198.51.100.0/24', name: 'documentation' },
  { cidr: '203.0.113.0/24', name: 'documentation' },
  { cidr: '224.0.0.0/4', name: 'multicast' },
  { cidr: '240.0.0.0/4', name: 'reserved (and 255.255.255.255 broadcast)' },
  { cidr: '::/128', name: 'unspecified' },
  { cidr: '::1/128', name: 'loopback' },
  { cidr: '::/96', name: 'IPv4-compatible (deprecated)' },
  { cidr: '64:ff9b:1::/48', name: 'IPv4/IPv6 translation (local)' },
  { cidr: '100::/64', name: 'discard' },
  { cidr: '2001:2::/48', name: 'benchmarking' },
  { cidr: '2001:db8::/32', name: 'documentation' },
  { cidr: 'fc00::/7', name: 'unique local (ULA)' },
  { cidr: 'fe80::/10', name: 'link-local' },
  { cidr: 'fec0::/10', name: 'site-local (deprecated)' },
  { cidr: 'ff00::/8', name: 'multicast' },
];

const RANGES: Range[] = REFUSED_RANGES.map(({ cidr, name }) => ({ block: parseCidr(cidr)!, name }));

/** IPv6 forms that carry an IPv4 address the traffic ends up at: NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`). */
function embeddedV4(ip: Ip): Ip | undefined {
  if (ip.length !== 16) return undefined;
  if (inCidr(ip, NAT64)) return ip.slice(12);
  if (inCidr(ip, SIX_TO_FOUR)) return ip.slice(2, 6);
  return undefined;
}
const NAT64 = parseCidr('64:ff9b::/96')!;
const SIX_TO_FOUR = parseCidr('2002::/16')!;

/**
 * Why `address` is not a public internet address (the refused block's name), or `undefined` when it is public.
 * Anything that does not parse as an address is refused too (`not an IP address`).
 */
export function refusedRange(address: string | Ip): string | undefined {
  const ip = typeof address === 'string' ? parseIp(address) : address;
  if (!ip) return 'not an IP address';
  const hit = RANGES.find((r) => inCidr(ip, r.block));
  if (hit) return hit.name;
  const inner = embeddedV4(ip);
  const innerHit = inner && refusedRange(inner);
  return innerHit ? `${innerHit}, inside ${inCidr(ip, NAT64) ? 'NAT64' : '6to4'} ${formatIp(ip)}` : undefined;
}
