import { describe, expect, it } from 'vitest';
import { renderTop, sparkline, termSafe } from './top-screen.ts';

describe('weft top screen', () => {
  it('termSafe strips control characters (escape sequences from a hostile heartbeat) and bounds the length', () => {
    expect(termSafe('ok\x1b[2J\x1b]0;pwned\x07name')).toBe('ok?[2J?]0;pwned?name');
    expect(termSafe('a\u202eb')).toBe('a?b');
    expect(termSafe('x'.repeat(100), 10)).toHaveLength(10);
  });

  it('sparkline scales to the largest value and shows idle as the lowest bar', () => {
    expect(sparkline([0, 5, 10])).toBe('▁▅█');
    expect(sparkline([0, 0])).toBe('▁▁');
    expect(sparkline([1, 2, 3, 4], 2)).toBe('▆█');
  });

  it('renders hosts and components within the terminal size, a forged friendly name made harmless', () => {
    const lines = renderTop(
      {
        lattice: 'default',
        hosts: [{ host_id: 'NHOST', friendly_name: 'evil\x1b[31m' }],
        traffic: {
          window_ms: 1,
          hosts: {
            NHOST: {
              t: [1],
              cpu: [5],
              rss: [1048576 * 100],
              in_use: [1],
              workers: [2],
              last: {
                host_id: 'NHOST',
                time_ms: 1,
                interval_ms: 1,
                uptime_seconds: 75,
                rss_bytes: 1048576 * 100,
                cpu_percent: 5,
                guest_workers: 2,
                instances_in_use: 1,
                instance_cap: 1000,
                components: [],
              },
            },
          },
          components: { adder: { t: [1], rate: [12.5], errors: [0.5], codes: {}, p50: [1], p99: [2] } },
        },
        components: [{ id: 'adder', rate: 12.5, errors: 0.5, codes: { COMP_TRAP: 0.5 }, p50: 1, p99: 2 }],
        now: new Date(0),
      },
      80,
      10,
    );
    expect(lines.length).toBeLessThanOrEqual(10);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    const text = lines.join('\n');
    expect(text).not.toContain('\x1b');
    expect(text).toMatch(/evil\?\[31m\s+1m15s\s+5\.0\s+100 MiB\s+2\s+1\/1000/);
    expect(text).toMatch(/adder\s+12\.5\s+0\.50\s+1\.00\s+2\.00/);
  });
});
