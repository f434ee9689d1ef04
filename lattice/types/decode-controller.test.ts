import { describe, expect, it } from 'vitest';
import { decodeLeaseEntry, decodeStoredApp } from './decode-controller.ts';

const manifest = {
  apiVersion: 'core.oam.dev/v1beta1',
  kind: 'Application',
  metadata: { name: 'hello', annotations: { version: 'v1' } },
  spec: {
    components: [
      {
        name: 'hello',
        type: 'component',
        properties: { image: 'file:///h.wasm' },
        traits: [{ type: 'spreadscaler', properties: { instances: 1 } }],
      },
    ],
  },
};
const app = {
  name: 'hello',
  versions: [{ version: 'v1', manifest, created_at: '2026-01-01T00:00:00Z' }],
  deployed_version: 'v1',
  status: { type: 'deployed', message: '' },
};

describe('controller KV decoders', () => {
  it('decodeStoredApp keeps a real entry', () => {
    expect(decodeStoredApp(JSON.stringify(app), 'hello')).toMatchObject({
      name: 'hello',
      deployed_version: 'v1',
      status: { type: 'deployed' },
      versions: [{ version: 'v1' }],
    });
    const { deployed_version: _d, ...undeployed } = app;
    expect(
      decodeStoredApp(JSON.stringify({ ...undeployed, versions: [{ version: 'v1', manifest: {} }] }), 'hello')
        .deployed_version,
    ).toBeUndefined();
  });

  it('decodeStoredApp refuses junk, a name that is not the key, a missing or invalid deployed manifest', () => {
    const bad: unknown[] = [
      null,
      [],
      {},
      { ...app, name: 'other' },
      { ...app, versions: [null] },
      { ...app, versions: 'x' },
      { ...app, versions: [{ version: 'v1', manifest: 'yaml' }] },
      { ...app, deployed_version: 'v9' },
      { ...app, versions: [{ version: 'v1', manifest: { ...manifest, spec: { components: [null] } } }] },
      { ...app, status: { type: 'pwned', message: '' } },
      { ...app, status: null, versions: [] },
    ];
    for (const b of bad)
      expect(() => decodeStoredApp(JSON.stringify(b), 'hello'), JSON.stringify(b)?.slice(0, 80)).toThrow(
        /LAT_BAD_PAYLOAD/,
      );
    expect(() => decodeStoredApp('{"name":', 'hello')).toThrow(/LAT_BAD_PAYLOAD/);
  });

  it('decodeLeaseEntry refuses junk and a lease that claims to last for ever', () => {
    const now = 1_000_000;
    expect(decodeLeaseEntry(JSON.stringify({ holder: 'h', expires: now + 3000 }), 60_000, now)).toEqual({
      holder: 'h',
      expires: now + 3000,
    });
    for (const b of [
      '{}',
      'null',
      '[]',
      '{"holder":"h"}',
      '{"holder":1,"expires":1}',
      '{"holder":"h","expires":"soon"}',
      'x',
      JSON.stringify({ holder: 'h', expires: now + 120_000 }),
    ]) {
      expect(() => decodeLeaseEntry(b, 60_000, now), b).toThrow(/LAT_BAD_PAYLOAD/);
    }
  });
});
