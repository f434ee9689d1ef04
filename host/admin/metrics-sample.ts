/**
 * The host's periodic metrics sample on `wasmbus.metrics.{lattice}.{host_id}` (see lattice `decode-metrics.ts`):
 * taken from the host's {@link HostMetrics} (whatever counts the calls, the main thread or the guest workers,
 * reports them there), plus the process figures and the runtime's admission figures. The dashboard and `weft top`
 * read it instead of scraping `--http-admin`.
 */
import { metricsSubject } from '../../lattice/index.ts';
import type { ComponentTraffic, HostMetricsSample } from '../../lattice/index.ts';
import type { HostMetrics } from './metrics.ts';

/** The runtime's load figures (guest workers, calls admitted, admission cap). */
export interface RuntimeUsage {
  guestWorkers: number;
  instancesInUse: number;
  instanceCap: number;
}

/** What {@link MetricsSampler} reads and where it publishes. */
export interface MetricsSamplerOptions {
  lattice: string;
  hostId: string;
  metrics: HostMetrics;
  publish: (subject: string, data: string) => void;
  uptimeSeconds: () => number;
  usage?: () => RuntimeUsage | undefined;
  /** @default 5000 */
  intervalMs?: number;
  /** Called when taking or publishing a sample failed (the next one is tried as usual). */
  onError?: (err: unknown) => void;
}

type Buckets = Map<number, number>; // upper bound (s) -> cumulative count

/**
 * A quantile of the calls in a histogram's buckets (cumulative counts by upper bound), interpolated linearly within
 * its bucket, as Prometheus' `histogram_quantile` does; the +Inf bucket answers with the highest finite bound.
 * @returns seconds, or undefined when the buckets hold no call.
 */
export function bucketQuantile(q: number, buckets: Buckets): number | undefined {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity) ?? buckets.get(bounds[bounds.length - 1] ?? 0) ?? 0;
  if (!(total > 0)) return undefined;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const b of bounds) {
    const n = buckets.get(b) ?? 0;
    if (n >= rank) {
      if (b === Infinity) return lower;
      return lower + (b - lower) * ((rank - below) / Math.max(n - below, 1e-9));
    }
    lower = b;
    below = n;
  }
  return lower;
}

const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** Takes and publishes the host's metrics sample every `intervalMs`. */
export class MetricsSampler {
  readonly #o: MetricsSamplerOptions & { intervalMs: number };
  #timer: NodeJS.Timeout | undefined;
  #prevBuckets = new Map<string, Buckets>();
  #cpu = process.cpuUsage();
  #cpuAt = performance.now();

  constructor(o: MetricsSamplerOptions) {
    this.#o = { ...o, intervalMs: o.intervalMs ?? 5000 };
  }

  start(): void {
    this.#timer = setInterval(() => void this.publishNow(), this.#o.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Takes one sample and publishes it; a failure goes to `onError`, never to the caller. */
  async publishNow(): Promise<void> {
    try {
      const s = await this.sample();
      this.#o.publish(metricsSubject.host(this.#o.lattice, this.#o.hostId), JSON.stringify(s));
    } catch (err) {
      this.#o.onError?.(err);
    }
  }

  /** The sample now; latency quantiles cover the calls since the previous sample. */
  async sample(): Promise<HostMetricsSample> {
    const m = this.#o.metrics;
    const [inv, errs, hist] = await Promise.all([
      m.invocations.get(),
      m.invocationErrors.get(),
      m.invocationSeconds.get(),
    ]);
    const comps = new Map<string, ComponentTraffic>();
    const of = (id: string): ComponentTraffic => {
      let c = comps.get(id);
      if (!c) comps.set(id, (c = { id, invocations: 0, errors: {} }));
      return c;
    };
    for (const v of inv.values) of(String(v.labels.component_id)).invocations += v.value;
    for (const v of errs.values) {
      const c = of(String(v.labels.component_id));
      const code = String(v.labels.code);
      c.errors[code] = (c.errors[code] ?? 0) + v.value;
    }
    const now = new Map<string, Buckets>();
    for (const v of hist.values) {
      if (!v.metricName?.endsWith('_bucket')) continue;
      const id = String(v.labels.component_id);
      const raw = (v.labels as Record<string, unknown>)['le'];
      const le = raw === '+Inf' ? Infinity : Number(raw);
      if (!now.has(id)) now.set(id, new Map());
      now.get(id)!.set(le, v.value);
    }
    for (const [id, buckets] of now) {
      const prev = this.#prevBuckets.get(id);
      const delta: Buckets = new Map([...buckets].map(([le, n]) => [le, n - (prev?.get(le) ?? 0)]));
      const p50 = bucketQuantile(0.5, delta);
      const p99 = bucketQuantile(0.99, delta);
      if (p50 !== undefined && p99 !== undefined)
        Object.assign(of(id), { p50_ms: round(p50 * 1000), p99_ms: round(p99 * 1000) });
    }
    this.#prevBuckets = now;
    const usage = this.#o.usage?.();
    return {
      host_id: this.#o.hostId,
      time_ms: Date.now(),
      interval_ms: this.#o.intervalMs,
      uptime_seconds: this.#o.uptimeSeconds(),
      rss_bytes: process.memoryUsage.rss(),
      cpu_percent: this.#cpuPercent(),
      guest_workers: usage?.guestWorkers ?? 0,
      instances_in_use: usage?.instancesInUse ?? 0,
      instance_cap: usage?.instanceCap ?? 0,
      components: [...comps.values()].sort((a, b) => a.id.localeCompare(b.id)),
    };
  }

  /** Process CPU time since the previous sample, in % of one core. */
  #cpuPercent(): number {
    const cpu = process.cpuUsage(this.#cpu);
    const at = performance.now();
    const wallUs = Math.max((at - this.#cpuAt) * 1000, 1);
    this.#cpu = process.cpuUsage();
    this.#cpuAt = at;
    return round(((cpu.user + cpu.system) / wallUs) * 100, 1);
  }
}

/** What {@link startHostSampler} reads of a host. */
export interface SampledHost {
  readonly lattice: string;
  readonly id: string;
  readonly metrics: HostMetrics;
  readonly uptimeSeconds: number;
  readonly opts: { metricsIntervalMs?: number };
  readonly logger: { debug(obj: object, msg: string): void };
}

/** Where a host's sampler publishes, and the runtime whose load figures it reads. */
export interface SamplerDeps {
  nc: { publish(subject: string, data: string): void };
  runtime?: { usage?(): RuntimeUsage | undefined };
}

/** Starts the sampler of a host (the hook in `Host.start`); the first sample goes out at once. */
export function startHostSampler(h: SampledHost, deps: SamplerDeps): MetricsSampler {
  const s = new MetricsSampler({
    lattice: h.lattice,
    hostId: h.id,
    metrics: h.metrics,
    publish: (subject, data) => deps.nc.publish(subject, data),
    uptimeSeconds: () => h.uptimeSeconds,
    usage: () => deps.runtime?.usage?.(),
    intervalMs: h.opts.metricsIntervalMs,
    onError: (err) => h.logger.debug({ err }, 'metrics sample not sent'),
  });
  s.start();
  void s.publishNow();
  return s;
}
