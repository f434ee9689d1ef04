import type { TrafficModel } from '../ui/traffic.ts';
import type { ComponentNow } from '../ui/traffic.ts';

/** What one screen of `weft top` shows. */
export interface TopFrame {
  lattice: string;
  /** Hosts by id with their friendly name (from heartbeats: untrusted text). */
  hosts: { host_id: string; friendly_name: string }[];
  traffic: TrafficModel;
  components: ComponentNow[];
  now: Date;
}

const BARS = '▁▂▃▄▅▆▇█';

/** Text from the lattice made safe for a terminal: no control characters (no escape sequences), at most `max` long. */
export function termSafe(s: unknown, max = 40): string {
  const t = String(s ?? '').replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '?');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A sparkline of the last `width` values. */
export function sparkline(values: (number | null)[], width = 20): string {
  const v = values.slice(-width).map((x) => x ?? 0);
  const max = Math.max(...v, 0);
  if (!(max > 0)) return BARS[0]!.repeat(v.length);
  return v.map((x) => BARS[Math.min(BARS.length - 1, Math.round((x / max) * (BARS.length - 1)))]).join('');
}

const pad = (s: string, n: number): string => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));
const rpad = (s: string, n: number): string => (s.length >= n ? s.slice(0, n) : ' '.repeat(n - s.length) + s);
const num = (v: number | undefined, d = 1): string => (v === undefined ? '–' : v >= 1000 ? v.toFixed(0) : v.toFixed(d));
const mib = (b: number): string => `${(b / 1048576).toFixed(0)} MiB`;
const dur = (s: number): string =>
  s < 60 ? `${s | 0}s` : s < 3600 ? `${(s / 60) | 0}m${(s % 60) | 0}s` : `${(s / 3600) | 0}h${((s % 3600) / 60) | 0}m`;

/** The lines of one screen, each at most `cols` wide, at most `rows` of them. */
export function renderTop(f: TopFrame, cols = 100, rows = 40): string[] {
  const lines: string[] = [];
  const names = new Map(f.hosts.map((h) => [h.host_id, termSafe(h.friendly_name || h.host_id.slice(0, 12), 24)]));
  lines.push(
    `weft top · lattice ${termSafe(f.lattice)} · ${f.hosts.length} hosts · ${f.components.length} components · ${f.now.toISOString().slice(11, 19)}   (q quits)`,
  );
  lines.push('');
  lines.push(
    `${pad('HOST', 24)} ${rpad('UPTIME', 8)} ${rpad('CPU%', 6)} ${rpad('RSS', 9)} ${rpad('WORKERS', 7)} ${rpad('IN USE/CAP', 12)}  CPU`,
  );
  for (const h of f.hosts) {
    const s = f.traffic.hosts[h.host_id];
    if (!s) {
      lines.push(`${pad(names.get(h.host_id) ?? '', 24)} waiting for its first metrics sample`);
      continue;
    }
    const l = s.last;
    lines.push(
      `${pad(names.get(h.host_id) ?? '', 24)} ${rpad(dur(l.uptime_seconds), 8)} ${rpad(l.cpu_percent.toFixed(1), 6)} ${rpad(mib(l.rss_bytes), 9)} ${rpad(String(l.guest_workers), 7)} ${rpad(`${l.instances_in_use}/${l.instance_cap || '?'}`, 12)}  ${sparkline(s.cpu, 16)}`,
    );
  }
  lines.push('');
  lines.push(
    `${pad('COMPONENT', 24)} ${rpad('CALLS/S', 9)} ${rpad('ERR/S', 7)} ${rpad('P50 ms', 8)} ${rpad('P99 ms', 8)}  ${pad('CALLS/S (last)', 22)} ERRORS`,
  );
  if (!f.components.length) lines.push('no traffic yet: hosts send a metrics sample every few seconds');
  for (const c of f.components) {
    const series = f.traffic.components[c.id];
    const codes = Object.entries(c.codes)
      .map(([k, v]) => `${termSafe(k, 30)} ${num(v, 2)}/s`)
      .join(', ');
    lines.push(
      `${pad(termSafe(c.id, 24), 24)} ${rpad(num(c.rate), 9)} ${rpad(num(c.errors, 2), 7)} ${rpad(num(c.p50, 2), 8)} ${rpad(num(c.p99, 2), 8)}  ${pad(sparkline(series?.rate ?? [], 20), 22)} ${codes}`,
    );
  }
  return lines.slice(0, rows).map((l) => (l.length > cols ? l.slice(0, cols) : l));
}
