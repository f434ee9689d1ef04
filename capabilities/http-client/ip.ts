/**
 * IP addresses as bytes, and CIDR blocks: enough to classify the address a request connects to. An IPv4-mapped IPv6
 * address (`::ffff:a.b.c.d`) is read as the IPv4 address it carries, so every rule written for IPv4 holds for it.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** An address: 4 bytes (IPv4, including IPv4-mapped IPv6) or 16 (IPv6). */
export type Ip = Uint8Array;

/** A CIDR block: `base`'s first `bits` bits. */
export interface Cidr {
  base: Ip;
  bits: number;
}

/** Parses an IPv4 or IPv6 literal (brackets and an IPv6 zone `%eth0` allowed); `undefined` when it is not one. */
export function parseIp(text: string): Ip | undefined {
  const s = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (isIPv4(s)) return Uint8Array.from(s.split('.').map(Number));
  if (!isIPv6(s)) return undefined;
  const v6 = parseV6(s);
  return isMapped(v6) ? v6.slice(12) : v6;
}

/** Parses `10.0.0.0/8`, `fd00::/8` (`[fd00::/8]`, `[fd00::]/8`) or a bare address (a block of one); `undefined` when it is neither. */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^\[?([^/\]]+)\]?(?:\/(\d{1,3}))?$/.exec(text.replace(/^\[(.*)\]$/, '$1'));
  const base = m?.[1] ? parseIp(m[1]) : undefined;
  if (!m || !base) return undefined;
  const max = base.length * 8;
  let bits = m[2] === undefined ? max : Number(m[2]);
  // `::ffff:10.0.0.0/104` is the IPv4 block 10.0.0.0/8
  if (m[2] !== undefined && base.length === 4 && isIPv6(m[1]!.replace(/%.*$/, ''))) bits -= 96;
  if (bits < 0 || bits > max) return undefined;
  return { base, bits };
}

/** True when `ip` lies in `block` (an IPv4 address is never in an IPv6 block, and the other way round). */
export function inCidr(ip: Ip, block: Cidr): boolean {
  if (ip.length !== block.base.length) return false;
  const whole = block.bits >> 3;
  for (let i = 0; i < whole; i++) if (ip[i] !== block.base[i]) return false;
  const rest = block.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((ip[whole] ?? 0) & mask) === ((block.base[whole] ?? 0) & mask);
}

/** The address as text: dotted IPv4, or IPv6 in the RFC 5952 form (`fe80::1`). */
export function formatIp(ip: Ip): string {
  if (ip.length === 4) return ip.join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((ip[2 * i] ?? 0) << 8) | (ip[2 * i + 1] ?? 0));
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

/** `::ffff:0:0/96`. */
const isMapped = (v6: Ip): boolean => v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;

/** Expands an IPv6 literal that `net.isIPv6` accepted (with `::` and an optional dotted IPv4 tail) to 16 bytes. */
function parseV6(s: string): Ip {
  let text = s;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted[1].split('.').map(Number);
    tail.push((a << 8) | b, (c << 8) | d);
    text = text.slice(0, -dotted[1].length);
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const [head = '', rest] = text.split('::');
  const words = (part: string): number[] => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const front = words(head);
  const back = [...(rest === undefined ? [] : words(rest)), ...tail];
  const zeros = rest === undefined ? [] : Array<number>(8 - front.length - back.length).fill(0);
  const all = rest === undefined ? [...front, ...tail] : [...front, ...zeros, ...back];
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}
