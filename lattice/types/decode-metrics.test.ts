import { describe, expect, it } from 'vitest';
import { LatticeErrorCode } from '../errors.ts';
import { decodeMetricsSample, MetricsLimits } from './decode-metrics.ts';

const sample = {
  host_id: 'NHOST',
  time_ms: 1_700_000_000_000,
  interval_ms: 5000,
  uptime_seconds: 60,
  rss_bytes: 100_000_000,
  cpu_percent: 12.5,
  guest_workers: 2,
  instances_in_use: 1,
  instance_cap: 1000,
  components: [
    { id: 'counter', invocations: 120, errors: { COMP_TRAP: 2 }, p50_ms: 1.5, p99_ms: 9 },
    { id: 'idle', invocations: 0, errors: {} },
  ],
};
const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('decodeMetricsSample', () => {
  it('keeps a real sample as it is and fills absent host figures with 0', () => {
    expect(decodeMetricsSample(sample, 'NHOST')).toEqual(sample);
    expect(decodeMetricsSample({ host_id: 'N', time_ms: 1, interval_ms: 1 }, 'N')).toEqual({
      host_id: 'N',
      time_ms: 1,
      interval_ms: 1,
      uptime_seconds: 0,
      rss_bytes: 0,
      cpu_percent: 0,
      guest_workers: 0,
      instances_in_use: 0,
      instance_cap: 0,
      components: [],
    });
  });

  it('refuses a sample that describes another host than its subject (forged or confused)', () => {
    expect(code(() => decodeMetricsSample(sample, 'NOTHER'))).toBe(LatticeErrorCode.BadPayload);
  });

  it.each([
    ['not an object', 'junk'],
    ['a list', [sample]],
    ['a negative count', { ...sample, components: [{ id: 'c', invocations: -1 }] }],
    ['NaN as a string', { ...sample, cpu_percent: 'NaN' }],
    ['an infinite figure', { ...sample, rss_bytes: Infinity }],
    ['a component id with a wildcard', { ...sample, components: [{ id: 'ev*il', invocations: 1 }] }],
    ['a component id with markup', { ...sample, components: [{ id: '<img src=x onerror=alert(1)>', invocations: 1 }] }],
    ['an error code with markup', { ...sample, components: [{ id: 'c', invocations: 1, errors: { '<b>': 1 } }] }],
    ['an error count that is a string', { ...sample, components: [{ id: 'c', invocations: 1, errors: { E: '1' } }] }],
    ['components that are no list', { ...sample, components: { id: 'c' } }],
    ['no time', { ...sample, time_ms: undefined }],
    [
      'too many components',
      {
        ...sample,
        components: Array.from({ length: MetricsLimits.components + 1 }, () => ({ id: 'c', invocations: 0 })),
      },
    ],
    [
      'too many error codes',
      {
        ...sample,
        components: [
          { id: 'c', invocations: 1, errors: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`E${i}`, 1])) },
        ],
      },
    ],
  ])('refuses %s with LAT_BAD_PAYLOAD', (_what, v) => {
    expect(code(() => decodeMetricsSample(v, 'NHOST'))).toBe(LatticeErrorCode.BadPayload);
  });

  it('names the field and never echoes a long value', () => {
    const long = 'x'.repeat(10_000);
    try {
      decodeMetricsSample({ ...sample, components: [{ id: long, invocations: 1 }] }, 'NHOST');
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toContain('components[0]');
      expect((err as Error).message.length).toBeLessThan(300);
    }
  });
});
