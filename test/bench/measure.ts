/** Measuring helpers for benchmarks: latency percentiles of sequential calls, throughput of concurrent calls. */
import autocannon from 'autocannon';

/** Latency summary in microseconds. */
export interface Latency {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

/** Runs `fn` `n` times one after another (after `warmup` runs) and reports latency percentiles in µs. */
export async function latency(fn: () => Promise<unknown>, n: number, warmup = Math.min(200, n)): Promise<Latency> {
  for (let i = 0; i < warmup; i++) await fn();
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times[i] = (performance.now() - t0) * 1000;
  }
  times.sort();
  const at = (q: number): number => times[Math.min(n - 1, Math.floor(q * n))] ?? 0;
  return { n, p50: at(0.5), p90: at(0.9), p99: at(0.99), mean: times.reduce((a, b) => a + b, 0) / n };
}

/** Calls per second with `concurrency` callers for `ms` milliseconds. */
export async function throughput(fn: () => Promise<unknown>, concurrency: number, ms: number): Promise<number> {
  let done = 0;
  const end = performance.now() + ms;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await fn();
        done++;
      }
    }),
  );
  return done / ((performance.now() - t0) / 1000);
}

/** HTTP requests/s against `url` with autocannon (loopback, bounded in time). */
export async function httpRps(
  url: string,
  connections: number,
  seconds: number,
): Promise<{ rps: number; p50ms: number; errors: number; non2xx: number }> {
  const r = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
  return { rps: r.requests.average, p50ms: r.latency.p50, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}
