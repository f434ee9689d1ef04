import { describe, expect, it } from 'vitest';
import { decodeClaimsEntry } from './kv-claims-store.ts';
import { decodeConfigEntry } from './kv-config-store.ts';

describe('KV entry decoders', () => {
  it('claims and named config are bounded maps of strings', () => {
    expect(decodeClaimsEntry('{"sub":"M","iss":"A"}')).toEqual({ sub: 'M', iss: 'A' });
    expect(decodeConfigEntry('{"address":"127.0.0.1:8080"}', 'http-cfg')).toEqual({ address: '127.0.0.1:8080' });
    for (const b of [
      'null',
      '[]',
      '{"a":1}',
      '{"a":null}',
      '{"a":{}}',
      '{"a',
      '"s"',
      JSON.stringify({ a: 'x'.repeat(9000) }),
    ]) {
      expect(() => decodeClaimsEntry(b), b.slice(0, 40)).toThrow(/LAT_BAD_PAYLOAD/);
      expect(() => decodeConfigEntry(b, 'c'), b.slice(0, 40)).toThrow(/LAT_BAD_PAYLOAD/);
    }
  });
});
