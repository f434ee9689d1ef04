import { describe, expect, it } from 'vitest';
import { decodeHeartbeat, decodeHostInfo, decodeHostInventory } from './decode-host.ts';

const inv = {
  host_id: 'NHOST',
  friendly_name: 'calm-otter',
  labels: { zone: 'east' },
  version: '0.1.0',
  uptime_human: '1m',
  uptime_seconds: 60,
  components: [{ id: 'adder', image_ref: 'file:///a.wasm', revision: 0, max_instances: 4, annotations: { a: 'b' } }],
  providers: [{ id: 'http', image_ref: 'weft+builtin://http-server', revision: 0 }],
};

describe('host decoders', () => {
  it('keep a real inventory as it is and fill absent optional fields', () => {
    expect(decodeHostInventory(inv)).toEqual(inv);
    expect(decodeHostInventory({ host_id: 'N' })).toEqual({
      host_id: 'N',
      friendly_name: '',
      labels: {},
      version: '',
      uptime_human: '',
      uptime_seconds: 0,
      components: [],
      providers: [],
    });
    expect(
      decodeHostInfo({
        id: 'N',
        friendly_name: 'x',
        labels: {},
        lattice: 'default',
        version: '1',
        uptime_seconds: 1,
        uptime_human: '1s',
        rpc_host: 'h',
      }),
    ).toMatchObject({ id: 'N', rpc_host: 'h' });
  });

  it('refuse forged heartbeats: wrong types, nulls in lists, huge strings, too many entries', () => {
    const bad: unknown[] = [
      null,
      [],
      {},
      { host_id: 'x', components: 1 },
      { ...inv, host_id: '' },
      { ...inv, labels: { a: 1 } },
      { ...inv, labels: [] },
      { ...inv, components: [null] },
      { ...inv, components: [{ id: 'a', max_instances: '<img src=x onerror=alert(1)>' }] },
      { ...inv, components: [{ id: 'a', revision: -1 }] },
      { ...inv, providers: [{ id: 7 }] },
      { ...inv, friendly_name: 'x'.repeat(10_000) },
      { ...inv, components: Array.from({ length: 10_001 }, (_, i) => ({ id: `c${i}` })) },
      { ...inv, labels: Object.fromEntries(Array.from({ length: 1025 }, (_, i) => [`k${i}`, 'v'])) },
      { ...inv, uptime_seconds: Number.NaN },
    ];
    for (const b of bad)
      expect(() => decodeHostInventory(b), JSON.stringify(b)?.slice(0, 80)).toThrow(/LAT_BAD_PAYLOAD/);
    expect(() => decodeHostInfo({ id: 1 })).toThrow(/LAT_BAD_PAYLOAD/);
    expect(() => decodeHostInfo(null)).toThrow(/LAT_BAD_PAYLOAD/);
  });

  it('a heartbeat is taken only from the host it describes', () => {
    const event = (source: string) => ({
      specversion: '1.0' as const,
      id: '1',
      type: 'com.wasmcloud.lattice.host_heartbeat',
      source,
      time: '',
      datacontenttype: 'application/json' as const,
      data: inv,
    });
    expect(decodeHeartbeat(event('NHOST'))).toEqual(inv);
    expect(() => decodeHeartbeat(event('NOTHER'))).toThrow(/LAT_BAD_PAYLOAD.*describes host NHOST/);
  });
  it("keeps a component's weft extensions (digest, config names, issuer, caps) and refuses them malformed", () => {
    const ext = { digest: 'ab12', config: ['cfg'], issuer: 'AISSUER', caps: ['wasi:keyvalue'] };
    const c = { id: 'c', image_ref: 'r', revision: 0, max_instances: 1, ...ext };
    expect(decodeHostInventory({ host_id: 'N', components: [c] }).components[0]).toMatchObject(ext);
    for (const b of [{ config: 'cfg' }, { config: [1] }, { caps: [{}] }, { digest: 5 }])
      expect(() => decodeHostInventory({ host_id: 'N', components: [{ ...c, ...b }] })).toThrow(/LAT_BAD_PAYLOAD/);
  });
});
