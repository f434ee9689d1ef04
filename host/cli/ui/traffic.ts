import type { HostMetricsSample } from '../../../lattice/index.ts';

/** A component's traffic over the window, one point per bucket (`t` in seconds, as uPlot takes it). */
export interface ComponentSeries {
  t: number[];
  /** Invocations/s, summed over the hosts. */
  rate: (number | null)[];
  /** Failed invocations/s, all codes, and per code. */
  errors: (number | null)[];
  codes: Record<string, (number | null)[]>;
  /** Latency in ms, the worst host's. */
  p50: (number | null)[];
  p99: (number | null)[];
}

/** A host's figures over the window (one point per sample) and its latest sample. */
export interface HostSeries {
  t: number[];
  cpu: number[];
  rss: number[];
  in_use: number[];
  workers: number[];
  last: HostMetricsSample;
}

/** What the charts and `weft top` draw. */
export interface TrafficModel {
  window_ms: number;
  components: Record<string, ComponentSeries>;
  hosts: Record<string, HostSeries>;
}

/** The latest figures of one component (the last complete bucket). */
export interface ComponentNow {
  id: string;
  rate: number;
  errors: number;
  codes: Record<string, number>;
  p50?: number;
  p99?: number;
}

interface Point {
  rate: number;
  errors: number;
  codes: Record<string, number>;
  p50?: number;
  p99?: number;
}
interface Received {
  at: number;
  s: HostMetricsSample;
}

/** Per-sample rates of a host: counters differenced against its previous sample (a reset counts from 0). */
function pointsOf(prev: HostMetricsSample, cur: HostMetricsSample): Map<string, Point> {
  const secs = Math.max((cur.time_ms - prev.time_ms) / 1000, 0.001);
  const before = new Map(prev.components.map((c) => [c.id, c]));
  const out = new Map<string, Point>();
  for (const c of cur.components) {
    const p = before.get(c.id);
    const d = (a: number, b = 0): number => (a >= b ? a - b : a);
    const codes: Record<string, number> = {};
    let errors = 0;
    for (const [code, n] of Object.entries(c.errors)) {
      codes[code] = d(n, p?.errors[code]) / secs;
      errors += codes[code];
    }
    out.set(c.id, { rate: d(c.invocations, p?.invocations) / secs, errors, codes, p50: c.p50_ms, p99: c.p99_ms });
  }
  return out;
}

const max = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

/**
 * The last 15 minutes of metrics samples of every host, turned into chart series: per component, the hosts' rates
 * summed and their worst latency, per bucket of the longest sampling interval (timed by arrival, so hosts' clocks
 * need not agree); per host, its own figures.
 */
export class TrafficHistory {
  readonly #windowMs: number;
  readonly #hosts = new Map<string, Received[]>();

  constructor(windowMs = 15 * 60_000) {
    this.#windowMs = windowMs;
  }

  add(s: HostMetricsSample, at = Date.now()): void {
    const list = this.#hosts.get(s.host_id) ?? [];
    list.push({ at, s });
    while (list.length > 1 && list[0]!.at < at - this.#windowMs) list.shift();
    this.#hosts.set(s.host_id, list);
  }

  removeHost(id: string): void {
    this.#hosts.delete(id);
  }

  /** The previous sample of a host (for telling what changed with the one just added). */
  previous(id: string): HostMetricsSample | undefined {
    const l = this.#hosts.get(id);
    return l && l.length > 1 ? l[l.length - 2]!.s : undefined;
  }

  model(now = Date.now()): TrafficModel {
    const from = now - this.#windowMs;
    const width = Math.max(1000, ...[...this.#hosts.values()].map((l) => l[l.length - 1]!.s.interval_ms));
    const buckets = new Map<number, Map<string, Point>>();
    const hosts: Record<string, HostSeries> = {};
    for (const [id, list] of this.#hosts) {
      const live = list.filter((r) => r.at >= from);
      if (!live.length) continue;
      hosts[id] = {
        t: live.map((r) => r.at / 1000),
        cpu: live.map((r) => r.s.cpu_percent),
        rss: live.map((r) => r.s.rss_bytes),
        in_use: live.map((r) => r.s.instances_in_use),
        workers: live.map((r) => r.s.guest_workers),
        last: live[live.length - 1]!.s,
      };
      const mine = new Map<number, Map<string, Point>>(); // one point per host per bucket: its latest
      for (let i = 1; i < list.length; i++)
        if (list[i]!.at >= from) mine.set(Math.floor(list[i]!.at / width), pointsOf(list[i - 1]!.s, list[i]!.s));
      for (const [b, comps] of mine) {
        const sum = buckets.get(b) ?? new Map<string, Point>();
        buckets.set(b, sum);
        for (const [cid, p] of comps) {
          const q = sum.get(cid) ?? { rate: 0, errors: 0, codes: {} };
          q.rate += p.rate;
          q.errors += p.errors;
          for (const [code, n] of Object.entries(p.codes)) q.codes[code] = (q.codes[code] ?? 0) + n;
          q.p50 = max(q.p50, p.p50);
          q.p99 = max(q.p99, p.p99);
          sum.set(cid, q);
        }
      }
    }
    return { window_ms: this.#windowMs, components: this.#series(buckets, width), hosts };
  }

  /** Each component's figures in the newest bucket, busiest first (what `weft top` lists). */
  latest(now = Date.now()): ComponentNow[] {
    const out: ComponentNow[] = [];
    for (const [id, s] of Object.entries(this.model(now).components)) {
      const i = s.t.length - 1;
      const codes: Record<string, number> = {};
      for (const [code, v] of Object.entries(s.codes)) if (v[i]) codes[code] = v[i]!;
      out.push({
        id,
        rate: s.rate[i] ?? 0,
        errors: s.errors[i] ?? 0,
        codes,
        p50: s.p50[i] ?? undefined,
        p99: s.p99[i] ?? undefined,
      });
    }
    return out.sort((a, b) => b.rate - a.rate || a.id.localeCompare(b.id));
  }

  #series(buckets: Map<number, Map<string, Point>>, width: number): Record<string, ComponentSeries> {
    const keys = [...buckets.keys()].sort((a, b) => a - b);
    const ids = new Set<string>();
    const codesOf = new Map<string, Set<string>>();
    for (const m of buckets.values())
      for (const [cid, p] of m) {
        ids.add(cid);
        const set = codesOf.get(cid) ?? new Set<string>();
        for (const c of Object.keys(p.codes)) set.add(c);
        codesOf.set(cid, set);
      }
    const out: Record<string, ComponentSeries> = {};
    const t = keys.map((b) => ((b + 1) * width) / 1000);
    for (const cid of [...ids].sort()) {
      const at = (b: number): Point | undefined => buckets.get(b)?.get(cid);
      const codes: Record<string, (number | null)[]> = {};
      for (const c of codesOf.get(cid) ?? []) codes[c] = keys.map((b) => at(b)?.codes[c] ?? 0);
      out[cid] = {
        t,
        rate: keys.map((b) => at(b)?.rate ?? 0),
        errors: keys.map((b) => at(b)?.errors ?? 0),
        codes,
        p50: keys.map((b) => at(b)?.p50 ?? null),
        p99: keys.map((b) => at(b)?.p99 ?? null),
      };
    }
    return out;
  }
}
