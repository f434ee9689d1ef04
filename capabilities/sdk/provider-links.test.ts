import { describe, expect, it } from 'vitest';
import type { Link, Provider, ResolvedLink } from '../../lattice/index.ts';
import { resolvedLinkOf } from '../../test/helpers/unit.ts';
import { LinkNotFoundError, ProviderLinks } from './provider-links.ts';

const link = (extra: Partial<ResolvedLink> = {}): ResolvedLink =>
  resolvedLinkOf('comp', 'kv', 'wasi:keyvalue', ['store', 'atomics'], extra);
const recorder = () => {
  const calls: string[] = [];
  const provider: Provider = {
    init: () => undefined,
    onLinkAsSource: (l) => void calls.push(`source:${l.target}`),
    onLinkAsTarget: (l) => void calls.push(`target:${l.source_id}`),
    onLinkDeleted: (l: Link, role) => void calls.push(`deleted:${role}:${l.wit_package}`),
    shutdown: () => undefined,
  };
  return { calls, links: new ProviderLinks(provider, 'kv') };
};

describe('ProviderLinks (an external provider process)', () => {
  it('put and delete - each delivered to the hook of its role; a delete of a link it does not have is silent', async () => {
    const { calls, links } = recorder();
    expect(await links.put(link())).toBe(true);
    expect(await links.put(link({ source_id: 'kv', target: 'comp', wit_package: 'http', interfaces: ['x'] }))).toBe(
      true,
    );
    await links.delete(link({ wit_package: 'blobstore' }));
    await links.delete(link());
    expect(calls).toEqual(['target:comp', 'source:comp', 'deleted:target:keyvalue']);
    expect(links.size).toBe(1);
  });

  it('hostile - a put naming neither this provider as source nor as target is not kept (a forged linkdefs.put)', async () => {
    const { calls, links } = recorder();
    expect(await links.put(link({ source_id: 'a', target: 'b' }))).toBe(false);
    expect(calls).toEqual([]);
    expect(() => links.forCall('a', 'default', 'wasi:keyvalue/store')).toThrow(LinkNotFoundError);
  });

  it('forCall - the link of the caller, link name and package, for an interface it lists; else HOST_LINK_NOT_FOUND', async () => {
    const { links } = recorder();
    await links.put(link({ target_config_values: { bucket: 'b' } }));
    await links.put(link({ wit_package: 'blobstore', interfaces: ['blobstore'], name: 'default' }));
    expect(links.forCall('comp', 'default', 'wasi:keyvalue/store@0.2.0-draft').target_config_values).toEqual({
      bucket: 'b',
    });
    expect(links.forCall('comp', 'default', 'wasi:blobstore/blobstore').wit_package).toBe('blobstore');
    for (const [source, name, iface] of [
      ['other', 'default', 'wasi:keyvalue/store'],
      ['comp', 'other', 'wasi:keyvalue/store'],
      ['comp', 'default', 'wasi:keyvalue/batch'],
      ['comp', 'default', 'not-an-interface'],
      ['', 'default', 'wasi:keyvalue/store'],
    ] as const) {
      let err: unknown;
      try {
        links.forCall(source, name, iface);
      } catch (e) {
        err = e;
      }
      expect(err, `${source} ${name} ${iface}`).toMatchObject({ code: 'HOST_LINK_NOT_FOUND' });
    }
  });

  it('a link re-put under the same key replaces the old one (another target is not this provider: no longer served)', async () => {
    const { links } = recorder();
    await links.put(link());
    await links.put(link({ source_id: 'kv', target: 'x', wit_package: 'keyvalue' }));
    expect(links.forCall('comp', 'default', 'wasi:keyvalue/store').target).toBe('kv');
    expect(links.size).toBe(2);
  });
});
