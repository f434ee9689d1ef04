import { describe, expect, it } from 'vitest';
import type { HostMetricsSample } from '../../../lattice/index.ts';
import { EventLog } from './event-log.ts';
import { TrafficHistory } from './traffic.ts';

const sample = (host: string, t: number, inv: number, errors: Record<string, number> = {}): HostMetricsSample => ({
  host_id: host,
  time_ms: t,
  interval_ms: 1000,
  uptime_seconds: t / 1000,
  rss_bytes: 1e8,
  cpu_percent: 10,
  guest_workers: 2,
  instances_in_use: 1,
  instance_cap: 100,
  components: [{ id: 'counter', invocations: inv, errors, p50_ms: 1, p99_ms: host === 'B' ? 9 : 3 }],
});

describe('TrafficHistory', () => {
  it('sums the hosts rates per bucket, keeps the worst latency and error codes apart', () => {
    const h = new TrafficHistory(60_000);
    h.add(sample('A', 0, 0), 100_000);
    h.add(sample('B', 0, 0), 100_100);
    h.add(sample('A', 1000, 10, { COMP_TRAP: 2 }), 101_000);
    h.add(sample('B', 1000, 30), 101_100);
    const c = h.model(101_500).components['counter']!;
    expect(c.rate.at(-1)).toBe(40);
    expect(c.errors.at(-1)).toBe(2);
    expect(c.codes['COMP_TRAP']!.at(-1)).toBe(2);
    expect(c.p99.at(-1)).toBe(9);
    expect(h.latest(101_500)[0]).toMatchObject({ id: 'counter', rate: 40, errors: 2, codes: { COMP_TRAP: 2 } });
  });

  it('drops samples past the window and a host that left', () => {
    const h = new TrafficHistory(10_000);
    h.add(sample('A', 0, 0), 0);
    h.add(sample('A', 1000, 5), 1000);
    h.add(sample('A', 30_000, 5), 30_000);
    expect(h.model(30_000).hosts['A']!.t).toEqual([30]);
    h.removeHost('A');
    expect(h.model(30_000).hosts).toEqual({});
  });

  it('counts a counter reset (a restarted host) from zero, never a negative rate', () => {
    const h = new TrafficHistory();
    h.add(sample('A', 0, 100), 0);
    h.add(sample('A', 1000, 4), 1000);
    expect(h.model(1000).components['counter']!.rate.at(-1)).toBe(4);
  });
});

const ev = (type: string, data: Record<string, unknown> = {}, source = 'NHOST') => ({
  specversion: '1.0' as const,
  id: '1',
  type: `com.wasmcloud.lattice.${type}`,
  source,
  time: '2026-01-01T00:00:00Z',
  datacontenttype: 'application/json' as const,
  data,
});

describe('EventLog', () => {
  it('collapses heartbeats and passing health checks into a status line, groups the rest, keeps failures', () => {
    const log = new EventLog();
    for (let i = 0; i < 500; i++) log.add(ev('host_heartbeat'));
    log.add(ev('health_check_status', { healthy: true }));
    expect(log.add(ev('component_scale_failed', { component_id: 'x', error: 'boom' }))?.failure).toBe(true);
    for (let i = 0; i < 300; i++) log.add(ev('component_scaled', { component_id: `c${i}` }));
    log.add(ev('health_check_status', { healthy: false }));
    log.addGuestFault('NHOST', 'counter', 'COMP_TRAP', 3);
    const v = log.view();
    expect(v.routine).toEqual([
      { source: 'NHOST', heartbeats: 500, health_checks: 1, unhealthy: 1, last: '2026-01-01T00:00:00Z' },
    ]);
    expect(v.groups['host_heartbeat']).toBeUndefined();
    expect(v.groups['component_scaled']).toHaveLength(50);
    expect(v.failures.map((f) => f.kind)).toEqual(['guest_fault', 'health_check_status', 'component_scale_failed']);
  });
});
