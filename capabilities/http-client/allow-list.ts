/**
 * The http-client's allow-list: which hosts a component may reach, from the link's config (`allowed_hosts`).
 * Secure by default: a link without an allow-list reaches nothing.
 */

/** One entry: `example.com`, `*.example.com` (any subdomain), `example.com:8443` (that port only), `*` (any host). */
interface Pattern {
  host: string;
  wildcard: boolean;
  port?: string;
}

/** A parsed allow-list. */
export interface AllowList {
  patterns: Pattern[];
  /** The text it was read from (for error messages). */
  text: string;
}

/** Parses `allowed_hosts` (comma or whitespace separated). */
export function parseAllowList(text: string | undefined): AllowList {
  const patterns: Pattern[] = [];
  for (const raw of (text ?? '').split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') {
      patterns.push({ host: '', wildcard: true });
      continue;
    }
    const m = /^(\*\.)?(\[[0-9a-f:.]+\]|[^:]+)(?::(\d+))?$/.exec(entry);
    if (!m) continue;
    patterns.push({ host: m[2] ?? '', wildcard: Boolean(m[1]), port: m[3] });
  }
  return { patterns, text: text ?? '' };
}

/** The port a URL talks to (explicit, else the scheme's default). */
const portOf = (u: URL): string => u.port || (u.protocol === 'https:' ? '443' : '80');

/** True when `url`'s host (and port, where the entry names one) is on the list. */
export function allows(list: AllowList, url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return list.patterns.some((p) => {
    if (p.wildcard && p.host === '') return true;
    if (p.port !== undefined && p.port !== portOf(url)) return false;
    return p.wildcard ? host.endsWith(`.${p.host}`) : host === p.host;
  });
}
