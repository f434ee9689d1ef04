/**
 * The http-client's allow-list: which hosts and addresses a component may reach, from the link's config
 * (`allowed_hosts`). Secure by default: a link without an allow-list reaches nothing, and no entry but an IP literal
 * or CIDR block lets a request reach a loopback, private, link-local or metadata address (see address-policy.ts).
 */
import { refusedRange } from './address-policy.ts';
import { inCidr, parseCidr, parseIp } from './ip.ts';
import type { Cidr } from './ip.ts';

/**
 * One entry. `name`: `example.com` or `*.example.com` (any subdomain); `ip`: `10.0.0.5`, `[fd00::1]` or a CIDR block
 * `10.0.0.0/8`, `[fd00::/8]`; `any`: `*`. `port`: the entry's `:PORT`; without one, the scheme's default port (80 for
 * http, 443 for https), except `*`, which allows every port.
 */
type Pattern =
  | { kind: 'any' }
  | { kind: 'name'; host: string; subdomains: boolean; port?: string }
  | { kind: 'ip'; block: Cidr; port?: string };

/** A parsed allow-list. */
export interface AllowList {
  patterns: Pattern[];
  /** The text it was read from (for error messages). */
  text: string;
  /** Entries that could not be read (ignored; the provider logs them when the link arrives). */
  invalid: string[];
}

/** Parses `allowed_hosts` (comma or whitespace separated, case-insensitive). */
export function parseAllowList(text: string | undefined): AllowList {
  const patterns: Pattern[] = [];
  const invalid: string[] = [];
  for (const raw of (text ?? '').split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const p = parseEntry(entry);
    if (p) patterns.push(p);
    else invalid.push(raw);
  }
  return { patterns, text: text ?? '', invalid };
}

function parseEntry(entry: string): Pattern | undefined {
  if (entry === '*') return { kind: 'any' };
  const m = /^(\*\.)?(\[[0-9a-f:./]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(entry);
  if (!m?.[2]) return undefined;
  const port = m[3] === undefined ? undefined : String(Number(m[3]));
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined;
  const block = parseCidr(m[2]);
  if (block) return m[1] ? undefined : { kind: 'ip', block, port };
  if (m[2].includes('/') || m[2].startsWith('[')) return undefined;
  return { kind: 'name', host: m[2].replace(/\.$/, ''), subdomains: Boolean(m[1]), port };
}

/** The port a URL talks to (explicit, else the scheme's default). */
export const portOf = (u: URL): string => u.port || (u.protocol === 'https:' ? '443' : '80');

/** An entry's port rule: its own port, or the scheme's default port when it names none. */
const portMatches = (p: { port?: string }, u: URL): boolean =>
  (p.port ?? (u.protocol === 'https:' ? '443' : '80')) === portOf(u);

/**
 * True when `url`'s host and port are on the list (by name, or by IP literal when the URL's host is one). This is
 * the first half of the rule; the address the request connects to is checked too ({@link addressRefusal}).
 */
export function allows(list: AllowList, url: URL): boolean {
  const host = url.hostname.toLowerCase();
  const ip = parseIp(host);
  return list.patterns.some((p) => {
    if (p.kind === 'any') return true;
    if (!portMatches(p, url)) return false;
    if (p.kind === 'ip') return ip !== undefined && inCidr(ip, p.block);
    if (ip) return false;
    return p.subdomains ? host.endsWith(`.${p.host}`) : host === p.host;
  });
}

/**
 * Why a request for `url` may not connect to `address` (a refused range's name), or `undefined` when it may: a
 * public address always may (the URL passed {@link allows}); any other only when an IP or CIDR entry holds it and
 * allows the URL's port.
 */
export function addressRefusal(list: AllowList, url: URL, address: string): string | undefined {
  const why = refusedRange(address);
  if (!why) return undefined;
  const ip = parseIp(address);
  const listed = ip && list.patterns.some((p) => p.kind === 'ip' && inCidr(ip, p.block) && portMatches(p, url));
  return listed ? undefined : why;
}
