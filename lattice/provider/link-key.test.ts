import { describe, expect, it } from 'vitest';
import type { Link } from '../types/link.ts';
import { interfaceName, linkKey, linkKeyOfCall, sameLink, sameLinkValue } from './link-key.ts';

const link = (extra: Partial<Link> = {}): Link => ({
  source_id: 'counter',
  target: 'kv',
  name: 'default',
  wit_namespace: 'wasi',
  wit_package: 'keyvalue',
  interfaces: ['store', 'atomics'],
  source_config: [],
  target_config: [],
  ...extra,
});

describe('link identity', () => {
  it("linkKey - wasmCloud's (source, namespace, package, name): the target, interfaces and configs are not part of it", () => {
    expect(sameLink(link(), link({ target: 'other', interfaces: ['batch'], target_config: ['c'] }))).toBe(true);
    for (const d of [{ source_id: 'x' }, { wit_namespace: 'x' }, { wit_package: 'x' }, { name: 'x' }])
      expect(sameLink(link(), link(d)), JSON.stringify(d)).toBe(false);
  });

  it('linkKey - no field content can make two keys equal (separators inside fields)', () => {
    expect(linkKey(link({ wit_namespace: 'a|b', wit_package: 'c' }))).not.toBe(
      linkKey(link({ wit_namespace: 'a', wit_package: 'b|c' })),
    );
    expect(linkKey(link({ wit_namespace: 'a","b' }))).not.toBe(linkKey(link({ wit_namespace: 'a', wit_package: 'b' })));
  });

  it('two packages on one link name are two links (the key the host used before collided on source|target|name)', () => {
    const kv = link();
    const blob = link({ wit_namespace: 'wasi', wit_package: 'blobstore', interfaces: ['blobstore'] });
    expect(new Set([kv, blob].map(linkKey)).size).toBe(2);
  });

  it('linkKeyOfCall - the key of the link a call on ns:pkg/iface@version uses; undefined for a name without a package', () => {
    expect(linkKeyOfCall('counter', 'default', 'wasi:keyvalue/store@0.2.0-draft')).toBe(linkKey(link()));
    expect(linkKeyOfCall('counter', 'other', 'wasi:keyvalue/atomics')).toBe(linkKey(link({ name: 'other' })));
    for (const bad of ['store', 'wasi/store', ':x/y', 'wasi:keyvalue', ''])
      expect(linkKeyOfCall('counter', 'default', bad), bad).toBeUndefined();
  });

  it('interfaceName and sameLinkValue - the interface of a versioned name; a re-put with another target is a change', () => {
    expect(interfaceName('wasi:keyvalue/store@0.2.0-draft')).toBe('store');
    expect(interfaceName('wasi:http/incoming-handler')).toBe('incoming-handler');
    expect(sameLinkValue(link(), link())).toBe(true);
    for (const d of [{ target: 'x' }, { interfaces: ['store'] }, { source_config: ['c'] }, { target_config: ['c'] }])
      expect(sameLinkValue(link(), link(d)), JSON.stringify(d)).toBe(false);
  });
});
