import { describe, expect, it } from 'vitest';
import { MemoryConfigStore, MemoryLinkStore } from '../../lattice/index.ts';
import type { ComponentSpecification, LinkStore, SpecChange } from '../../lattice/index.ts';
import { testLink } from '../../test/helpers/unit.ts';
import { deleteLink, putLink } from './link-ops.ts';

const link = testLink;
const linksOf = async (s: LinkStore, id = 'web') => (await s.getSpec(id))?.links ?? [];

/** A store whose compare-and-set always loses (another host writes in between). */
class ContendedStore implements LinkStore {
  readonly inner = new MemoryLinkStore();
  getSpec(id: string) {
    return this.inner.getSpec(id);
  }
  getSpecWithRevision(id: string) {
    return this.inner.getSpecWithRevision(id);
  }
  putSpec(_id: string, _spec: ComponentSpecification, _revision: number) {
    return Promise.resolve(false);
  }
  listSpecs() {
    return this.inner.listSpecs();
  }
  watch(fn: (c: SpecChange) => void) {
    return this.inner.watch(fn);
  }
}

describe('link ops', () => {
  it('putLink - links of different names, packages or sources live side by side', async () => {
    const s = new MemoryLinkStore();
    const cfg = new MemoryConfigStore();
    await putLink(s, cfg, link());
    await putLink(s, cfg, link({ name: 'cache', target: 'kv2' }));
    await putLink(s, cfg, link({ wit_package: 'blobstore', target: 'blob' }));
    await putLink(s, cfg, link({ source_id: 'api' }));
    expect((await linksOf(s)).map((l) => l.target)).toEqual(['kv', 'kv2', 'blob']);
    expect(await linksOf(s, 'api')).toHaveLength(1);
  });

  it('putLink - the same key with another target but disjoint interfaces is allowed and replaces it', async () => {
    const s = new MemoryLinkStore();
    await putLink(s, new MemoryConfigStore(), link());
    await putLink(s, new MemoryConfigStore(), link({ target: 'counter', interfaces: ['atomics'] }));
    expect((await linksOf(s)).map((l) => l.target)).toEqual(['counter']);
  });

  it('putLink - the same key, another target and an overlapping interface is HOST_REFUSED', async () => {
    const s = new MemoryLinkStore();
    await putLink(s, new MemoryConfigStore(), link());
    await expect(putLink(s, new MemoryConfigStore(), link({ target: 'other' }))).rejects.toMatchObject({
      code: 'HOST_REFUSED',
    });
    expect((await linksOf(s)).map((l) => l.target)).toEqual(['kv']);
  });

  it('putLink - every named config must exist (LAT_NOT_FOUND), checked before anything is stored', async () => {
    const s = new MemoryLinkStore();
    const cfg = new MemoryConfigStore();
    await cfg.put('src', { a: '1' });
    await expect(putLink(s, cfg, link({ source_config: ['src'], target_config: ['tgt'] }))).rejects.toMatchObject({
      code: 'LAT_NOT_FOUND',
    });
    expect(await linksOf(s)).toEqual([]);
  });

  it('putLink/deleteLink - a store that keeps losing the compare-and-set gives up with HOST_REFUSED', async () => {
    const s = new ContendedStore();
    await s.inner.putSpec('web', { url: '', links: [link()] }, 0);
    await expect(putLink(s, new MemoryConfigStore(), link({ name: 'x' }))).rejects.toMatchObject({
      code: 'HOST_REFUSED',
    });
    await expect(deleteLink(s, link())).rejects.toMatchObject({ code: 'HOST_REFUSED' });
  });

  it('deleteLink - removes by key and returns the link; a second delete returns undefined', async () => {
    const s = new MemoryLinkStore();
    await putLink(s, new MemoryConfigStore(), link());
    await putLink(s, new MemoryConfigStore(), link({ name: 'cache' }));
    expect((await deleteLink(s, link()))?.target).toBe('kv');
    expect(await deleteLink(s, link())).toBeUndefined();
    expect((await linksOf(s)).map((l) => l.name)).toEqual(['cache']);
    expect(await deleteLink(s, link({ source_id: 'nobody' }))).toBeUndefined();
  });
});
