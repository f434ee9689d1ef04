import { describe, expect, it } from 'vitest';
import { decodeMetricsSample, metricsSubject } from '../../lattice/index.ts';
import { HostMetrics } from './metrics.ts';
import { bucketQuantile, MetricsSampler } from './metrics-sample.ts';

const sampler = (metrics: HostMetrics, sent: [string, string][] = []): MetricsSampler =>
  new MetricsSampler({
    lattice: 'l1',
    hostId: 'NHOST',
    metrics,
    publish: (s, d) => sent.push([s, d]),
    uptimeSeconds: () => 42,
    usage: () => ({ guestWorkers: 2, instancesInUse: 3, instanceCap: 1000 }),
  });

describe('MetricsSampler', () => {
  it('sums invocations and errors per component from HostMetrics, host figures from the process and runtime', async () => {
    const m = new HostMetrics({ host_id: 'NHOST' }, false);
    m.observe('counter', 'wasi:http/incoming-handler.handle', 0.002);
    m.observe('counter', 'other', 0.002, 'COMP_TRAP');
    m.observe('counter', 'other', 0.002, 'COMP_TRAP');
    m.observe('adder', 'add', 0.0004, 'COMP_TIMEOUT');
    const s = await sampler(m).sample();
    expect(s).toMatchObject({ host_id: 'NHOST', uptime_seconds: 42, guest_workers: 2, instances_in_use: 3 });
    expect(s.instance_cap).toBe(1000);
    expect(s.rss_bytes).toBeGreaterThan(0);
    expect(s.components.map((c) => [c.id, c.invocations, c.errors])).toEqual([
      ['adder', 1, { COMP_TIMEOUT: 1 }],
      ['counter', 3, { COMP_TRAP: 2 }],
    ]);
    const counter = s.components.find((c) => c.id === 'counter')!;
    expect(counter.p50_ms).toBeGreaterThan(1);
    expect(counter.p50_ms).toBeLessThanOrEqual(2.5);
    // what the host sends is what the lattice decoder accepts
    expect(decodeMetricsSample(JSON.parse(JSON.stringify(s)), 'NHOST')).toEqual(s);
  });

  it('gives latency over the calls since the previous sample only, and counts as running totals', async () => {
    const m = new HostMetrics({}, false);
    const smp = sampler(m);
    m.observe('c', 'op', 0.2);
    expect((await smp.sample()).components[0]!.p50_ms).toBeGreaterThan(100);
    m.observe('c', 'op', 0.0002);
    const second = (await smp.sample()).components[0]!;
    expect(second.invocations).toBe(2);
    expect(second.p99_ms).toBeLessThan(1);
    const third = (await smp.sample()).components[0]!;
    expect(third.p50_ms).toBeUndefined();
  });

  it('publishes on the host subject; a failing sample goes to onError', async () => {
    const sent: [string, string][] = [];
    await sampler(new HostMetrics({}, false), sent).publishNow();
    expect(sent[0]![0]).toBe(metricsSubject.host('l1', 'NHOST'));
    const errors: unknown[] = [];
    const broken = new MetricsSampler({
      lattice: 'l1',
      hostId: 'NHOST',
      metrics: new HostMetrics({}, false),
      publish: () => {
        throw new Error('closed');
      },
      uptimeSeconds: () => 0,
      onError: (e) => errors.push(e),
    });
    await broken.publishNow();
    expect(errors).toHaveLength(1);
  });
});

describe('bucketQuantile', () => {
  it('interpolates within the bucket, answers +Inf with the highest bound and nothing for no calls', () => {
    const b = new Map([
      [0.001, 0],
      [0.01, 10],
      [Infinity, 10],
    ]);
    expect(bucketQuantile(0.5, b)).toBeCloseTo(0.0055, 6);
    expect(
      bucketQuantile(
        0.99,
        new Map([
          [0.5, 0],
          [Infinity, 4],
        ]),
      ),
    ).toBe(0.5);
    expect(bucketQuantile(0.5, new Map([[Infinity, 0]]))).toBeUndefined();
  });
});
