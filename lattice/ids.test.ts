import { describe, expect, it } from 'vitest';
import { parseManifest } from './apps/manifest.ts';
import {
  decodeDeleteLink,
  decodeLink,
  decodeScaleComponent,
  decodeStartProvider,
  decodeStopProvider,
  MAX_INSTANCES_CEILING,
} from './codec.ts';
import { checkId, isValidId } from './ids.ts';
import { ctlSubject, rpcSubject } from './subjects.ts';

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
const link = { source_id: 'a', target: 'b', wit_namespace: 'wasi', wit_package: 'keyvalue', interfaces: ['store'] };
const scale = { component_ref: 'file:///x.wasm', component_id: 'adder', count: 1 };

describe('ids', () => {
  it('ids - letters, digits, _ and - of 1 to 128 characters pass; wildcards, dots, spaces and long names do not', () => {
    for (const ok of ['adder', 'hello_world_http_component', 'NB3K-x_9', 'a'.repeat(128)])
      expect(isValidId(ok)).toBe(true);
    for (const bad of ['', 'ev*il', 'a.b', '>', 'a b', 'a\nb', 'é', 'a'.repeat(129), 'x\u001b[2J'])
      expect(isValidId(bad)).toBe(false);
    expect(isValidId(42)).toBe(false);
  });

  it('ids - checkId names the field and the rule, with the value escaped', () => {
    expect(() => checkId('ev*il', 'link: "target"')).toThrow(
      expect.objectContaining({ code: 'LAT_BAD_PAYLOAD', message: expect.stringContaining('link: "target" "ev*il"') }),
    );
    expect(() => checkId('a\u001bb', 'x')).toThrow(
      expect.objectContaining({ message: expect.stringContaining('\\u001b') }),
    );
    expect(() => checkId('a.b', 'x', 'LAT_BAD_REQUEST')).toThrow(expect.objectContaining({ code: 'LAT_BAD_REQUEST' }));
  });

  it('ids - ctl decoders refuse ids that would reach a subject or queue group, naming the field', () => {
    expect(() => decodeScaleComponent(enc({ ...scale, component_id: 'ev*il' }))).toThrow(
      /"component_id" "ev\*il" is not a valid id/,
    );
    expect(() => decodeScaleComponent(enc({ ...scale, config: ['ok', 'a.b'] }))).toThrow(/"config\[1\]"/);
    expect(() => decodeLink(enc({ ...link, source_id: 'a.b' }))).toThrow(/"source_id"/);
    expect(() => decodeLink(enc({ ...link, target: '*' }))).toThrow(/"target"/);
    expect(() => decodeLink(enc({ ...link, name: 'n.x' }))).toThrow(/"name"/);
    expect(() => decodeLink(enc({ ...link, target_config: ['c>'] }))).toThrow(/"target_config\[0\]"/);
    expect(() => decodeDeleteLink(enc({ ...link, source_id: '>' }))).toThrow(/"source_id"/);
    expect(() => decodeStartProvider(enc({ provider_id: 'p.q', provider_ref: 'weft+builtin://http-server' }))).toThrow(
      /"provider_id"/,
    );
    expect(() => decodeStopProvider(enc({ provider_id: 'p*' }))).toThrow(/"provider_id"/);
    expect(decodeLink(enc(link)).name).toBe('default');
  });

  it('ids - a scale count past the ceiling is capped to it', () => {
    expect(decodeScaleComponent(enc({ ...scale, count: 4294967295 })).count).toBe(MAX_INSTANCES_CEILING);
    expect(
      decodeScaleComponent(enc({ component_ref: scale.component_ref, component_id: 'a', max_instances: 7 })).count,
    ).toBe(7);
  });

  it('ids - subject builders throw LAT_BAD_REQUEST instead of writing a wildcard subject', () => {
    expect(rpcSubject.invoke('default', 'adder', 'docs:adder/add.add')).toBe(
      'wasmbus.rpc.default.adder.docs:adder/add.add',
    );
    expect(rpcSubject.invoke('default', 'adder', '')).toBe('wasmbus.rpc.default.adder.');
    expect(() => rpcSubject.target('default', 'ev*il')).toThrow(expect.objectContaining({ code: 'LAT_BAD_REQUEST' }));
    expect(() => rpcSubject.queue('default', 'a.b')).toThrow(expect.objectContaining({ code: 'LAT_BAD_REQUEST' }));
    expect(() => rpcSubject.invoke('default', 'adder', 'x.>')).toThrow(
      expect.objectContaining({ code: 'LAT_BAD_REQUEST' }),
    );
    expect(() => rpcSubject.invoke('de.fault', 'adder', 'f')).toThrow(
      expect.objectContaining({ code: 'LAT_BAD_REQUEST' }),
    );
    expect(() => ctlSubject.configPut('default', 'a.b')).toThrow(expect.objectContaining({ code: 'LAT_BAD_REQUEST' }));
    expect(() => ctlSubject.componentScale('default', '*')).toThrow(
      expect.objectContaining({ code: 'LAT_BAD_REQUEST' }),
    );
  });

  it('ids - manifests: explicit ids, config names, link names and the app name follow the rule; derived ids are normalised', () => {
    const doc = (comp: Record<string, unknown>, name = 'app') =>
      JSON.stringify({
        apiVersion: 'core.oam.dev/v1beta1',
        kind: 'Application',
        metadata: { name },
        spec: { components: [comp] },
      });
    const base = { name: 'Http Comp.x', type: 'component', properties: { image: 'file:///x.wasm' } };
    expect(parseManifest(doc(base)).problems).toEqual([]);
    const paths = (text: string) => parseManifest(text).problems.map((p) => p.path);
    expect(paths(doc({ ...base, properties: { ...base.properties, id: 'ev*il' } }))).toEqual([
      'spec.components[0].properties.id',
    ]);
    expect(paths(doc({ ...base, properties: { ...base.properties, config: [{ name: 'a.b' }] } }))).toEqual([
      'spec.components[0].properties.config[0].name',
    ]);
    const linkTrait = {
      type: 'link',
      properties: {
        namespace: 'wasi',
        package: 'kv',
        interfaces: ['store'],
        name: 'x*',
        target: { name: 'kv', config: [{ name: 'c d' }] },
      },
    };
    expect(paths(doc({ ...base, traits: [linkTrait] }))).toEqual([
      'spec.components[0].traits[0].properties.target.config[0].name',
      'spec.components[0].traits[0].properties.name',
    ]);
    expect(paths(doc(base, 'a.b'))).toEqual(['metadata.name']);
    expect(paths(doc({ ...base, name: 'n'.repeat(130) }))).toEqual(['spec.components[0].name']);
  });
});
