import { describe, expect, it } from 'vitest';
import { buildCloudEvent } from './cloud-event.ts';
import { decodeCloudEvent, eventKind } from './decode-event.ts';

describe('decodeCloudEvent', () => {
  it('accepts what hosts publish and names the short type', () => {
    const e = buildCloudEvent('host_heartbeat', 'NHOST', { host_id: 'NHOST' });
    const d = decodeCloudEvent(JSON.stringify(e));
    expect(d).toMatchObject({
      type: 'com.wasmcloud.lattice.host_heartbeat',
      source: 'NHOST',
      time: e.time,
      data: { host_id: 'NHOST' },
    });
    expect(eventKind(d)).toBe('host_heartbeat');
    expect(eventKind({ ...d, type: 'custom' })).toBe('custom');
  });

  it('refuses every malformed shape with LAT_BAD_PAYLOAD', () => {
    const ok = { type: 't', source: 's', time: '2026-01-01T00:00:00Z', data: {} };
    const bad: unknown[] = [
      '{}',
      'null',
      '[]',
      '{"type":"x"',
      '"text"',
      { ...ok, type: 1 },
      { ...ok, type: '' },
      { ...ok, source: null },
      { ...ok, time: 5 },
      { ...ok, data: null },
      { ...ok, data: [] },
      { ...ok, data: 'x' },
      { ...ok, type: 'x'.repeat(100_000) },
    ];
    for (const b of bad)
      expect(
        () => decodeCloudEvent(typeof b === 'string' ? b : JSON.stringify(b)),
        JSON.stringify(b).slice(0, 60),
      ).toThrow(/LAT_BAD_PAYLOAD/);
    expect(() => decodeCloudEvent(new Uint8Array([0xc1, 0xff]))).toThrow(/LAT_BAD_PAYLOAD/);
  });
});
