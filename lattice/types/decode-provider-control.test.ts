import { describe, expect, it } from 'vitest';
import { decodeHealthReply, decodeLinkDefinition, decodeShutdownRequest } from './decode-provider-control.ts';

const link = {
  source_id: 'counter',
  target: 'kv',
  name: 'default',
  wit_namespace: 'wasi',
  wit_package: 'keyvalue',
  interfaces: ['store'],
  source_config: [],
  target_config: ['c'],
};

describe('provider control decoders', () => {
  it('accept what the host sends', () => {
    const def = { ...link, source_config_values: {}, target_config_values: { bucket: 'b' } };
    expect(decodeLinkDefinition(JSON.stringify(def))).toEqual(def);
    expect(decodeLinkDefinition(JSON.stringify(link))).toEqual({
      ...link,
      source_config_values: {},
      target_config_values: {},
    });
    expect(decodeShutdownRequest('{"host_id":"N"}')).toEqual({ host_id: 'N' });
    expect(decodeHealthReply('{"healthy":false,"message":"down"}')).toEqual({ healthy: false, message: 'down' });
  });

  it('refuse junk with LAT_BAD_PAYLOAD', () => {
    for (const b of [
      '{}',
      'null',
      '[]',
      '{"x',
      JSON.stringify({ ...link, target_config_values: { a: 1 } }),
      JSON.stringify({ ...link, interfaces: 'store' }),
    ])
      expect(() => decodeLinkDefinition(b), b).toThrow(/LAT_BAD_PAYLOAD/);
    for (const b of ['', '{}', 'null', '[]', '{"host_id":5}', '{"host_id":""}', '{'])
      expect(() => decodeShutdownRequest(b), b).toThrow(/LAT_BAD_PAYLOAD/);
    for (const b of ['null', '{}', '{"healthy":"yes"}', '{"healthy":true,"message":1}'])
      expect(() => decodeHealthReply(b), b).toThrow(/LAT_BAD_PAYLOAD/);
  });
});
