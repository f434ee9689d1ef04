import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { worldItemsOf } from './component-info.ts';
import { OciError } from './errors.ts';
import {
  buildWasmArtifact,
  decodeManifest,
  digestLike,
  isDigest,
  OciMediaType,
  sha256Digest,
  wasmLayerOf,
} from './manifest.ts';

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const wasm = new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 9, 9]);
const d = (c: string): string => `sha256:${c.repeat(64)}`;
const desc = (mediaType: string, c = 'a') => ({ mediaType, digest: d(c), size: 10 });

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OciError);
    return `${(e as OciError).code} ${(e as OciError).message}`;
  }
  throw new Error('did not throw');
}

describe('buildWasmArtifact', () => {
  it('writes the CNCF Wasm OCI layout', () => {
    const component = { exports: ['docs:adder/add@0.1.0'], imports: [], target: null };
    const a = buildWasmArtifact(wasm, { component, created: '2026-12-01T00:00:00.000Z' });
    const manifest = JSON.parse(new TextDecoder().decode(a.manifest.bytes));
    const config = JSON.parse(new TextDecoder().decode(a.config.bytes));
    expect(manifest).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.wasm.config.v0+json',
        digest: sha256Digest(a.config.bytes),
        size: a.config.bytes.length,
      },
      layers: [{ mediaType: 'application/wasm', digest: sha256Digest(wasm), size: wasm.length }],
    });
    expect(config).toEqual({
      created: '2026-12-01T00:00:00.000Z',
      author: null,
      architecture: 'wasm',
      os: 'wasip2',
      layerDigests: [sha256Digest(wasm)],
      component,
    });
    expect(a.manifest.digest).toBe(`sha256:${createHash('sha256').update(a.manifest.bytes).digest('hex')}`);
    expect(a.layer.bytes).toBe(wasm);
  });
  it('marks a core module wasip1 without component info, and keeps annotations', () => {
    const a = buildWasmArtifact(wasm, { component: null, annotations: { 'org.opencontainers.image.source': 'x' } });
    expect(JSON.parse(new TextDecoder().decode(a.config.bytes))).toMatchObject({ os: 'wasip1', component: null });
    expect(JSON.parse(new TextDecoder().decode(a.manifest.bytes)).annotations).toEqual({
      'org.opencontainers.image.source': 'x',
    });
  });
});

describe('decodeManifest and wasmLayerOf', () => {
  const good = { schemaVersion: 2, config: desc(OciMediaType.WasmConfig, 'c'), layers: [desc('application/wasm')] };

  it('reads an OCI manifest, taking the media type from Content-Type when absent', () => {
    const m = decodeManifest(enc(good), 'application/vnd.docker.distribution.manifest.v2+json; charset=utf-8', 'r');
    expect(m.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(wasmLayerOf(m, 'r')).toEqual(desc('application/wasm'));
  });

  it.each([OciMediaType.WasmLayer, OciMediaType.WasmCloudLayer, OciMediaType.SpinLayer])(
    'reads a %s layer next to other layers',
    (type) => {
      const m = decodeManifest(
        enc({ ...good, layers: [desc('application/vnd.oci.image.layer.v1.tar', 'b'), desc(type)] }),
        null,
        'r',
      );
      expect(wasmLayerOf(m, 'r').mediaType).toBe(type);
    },
  );

  it('refuses several wasm layers and none', () => {
    const two = decodeManifest(
      enc({ ...good, layers: [desc(OciMediaType.WasmLayer), desc(OciMediaType.WasmCloudLayer, 'b')] }),
      null,
      'reg/x:1',
    );
    expect(codeOf(() => wasmLayerOf(two, 'reg/x:1'))).toMatch(/^OCI_BAD_MANIFEST .*reg\/x:1: has 2 Wasm layers/);
    const none = decodeManifest(
      enc({ ...good, layers: [desc('application/vnd.oci.image.layer.v1.tar+gzip')] }),
      null,
      'r',
    );
    expect(codeOf(() => wasmLayerOf(none, 'r'))).toMatch(
      /no Wasm layer \(layer types: application\/vnd.oci.image.layer.v1.tar\+gzip/,
    );
  });

  it.each([
    ['not JSON', 'nope', /not JSON/],
    ['an array', [], /not a JSON object/],
    ['an index', { schemaVersion: 2, mediaType: OciMediaType.OciIndex, manifests: [] }, /image index/],
    ['schema 1', { ...good, schemaVersion: 1 }, /schemaVersion is 1/],
    ['no layers', { ...good, layers: undefined }, /no layers/],
    [
      'a bad digest',
      { ...good, layers: [{ mediaType: 'application/wasm', digest: 'sha256:xyz', size: 1 }] },
      /layer 0 has no valid/,
    ],
    ['a negative size', { ...good, config: { ...good.config, size: -1 } }, /config has no valid size/],
    ['no media type', { ...good, layers: [{ digest: d('a'), size: 1 }] }, /layer 0 has no mediaType/],
  ])('refuses %s', (_what, body, why) => {
    expect(codeOf(() => decodeManifest(enc(body as unknown), null, 'r'))).toMatch(why);
  });
});

describe('digests', () => {
  it('computes in the algorithm asked for and checks the form', () => {
    expect(digestLike(d('a'), wasm)).toBe(sha256Digest(wasm));
    expect(digestLike(`sha512:${'0'.repeat(128)}`, wasm)).toBe(
      `sha512:${createHash('sha512').update(wasm).digest('hex')}`,
    );
    expect(isDigest(d('f'))).toBe(true);
    expect(isDigest('sha256:F'.padEnd(71, 'F'))).toBe(false);
    expect(isDigest(42)).toBe(false);
  });
});

describe('worldItemsOf', () => {
  it('lists the root world imports and exports, inline items by name', () => {
    const wit = [
      'package root:component;',
      '',
      'world root {',
      '  import wasi:io/streams@0.2.3;',
      '  import log: func(msg: string);',
      '  import custom: interface {',
      '    export-like: func();',
      '  }',
      '  export docs:adder/add@0.1.0;',
      '  export run: func();',
      '}',
      'world other {',
      '  import not:this/one;',
      '}',
    ].join('\n');
    expect(worldItemsOf(wit)).toEqual({
      imports: ['wasi:io/streams@0.2.3', 'log', 'custom'],
      exports: ['docs:adder/add@0.1.0', 'run'],
      target: null,
    });
    expect(worldItemsOf('package x:y;')).toEqual({ imports: [], exports: [], target: null });
  });
});
