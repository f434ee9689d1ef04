import { describe, expect, it } from 'vitest';
import { MemoryLinkStore } from '../../lattice/index.ts';
import type { Link } from '../../lattice/index.ts';
import { putSpecs, testLink } from '../../test/helpers/unit.ts';
import { LinkTable } from './link-table.ts';

const link = (over: Partial<Link> = {}): Link => testLink({ interfaces: ['store', 'atomics'], ...over });

async function followed(...links: Link[]): Promise<{ store: MemoryLinkStore; table: LinkTable }> {
  const store = new MemoryLinkStore();
  await putSpecs(store, links);
  const table = new LinkTable();
  await table.follow(store);
  return { store, table };
}

describe('link table', () => {
  it('lookup - by source, link name and interface, any version', async () => {
    const { table } = await followed(link(), link({ name: 'other', target: 'kv2' }));
    expect(table.lookup('web', 'default', 'wasi:keyvalue/store@0.2.0-draft')?.target).toBe('kv');
    expect(table.lookup('web', 'default', 'wasi:keyvalue/atomics')?.target).toBe('kv');
    expect(table.lookup('web', 'other', 'wasi:keyvalue/store')?.target).toBe('kv2');
  });

  it('lookup - another interface, package, link name or source, or a name without ns:, finds nothing', async () => {
    const { table } = await followed(link());
    expect(table.lookup('web', 'default', 'wasi:keyvalue/batch')).toBeUndefined();
    expect(table.lookup('web', 'default', 'wasi:blobstore/store')).toBeUndefined();
    expect(table.lookup('web', 'nope', 'wasi:keyvalue/store')).toBeUndefined();
    expect(table.lookup('api', 'default', 'wasi:keyvalue/store')).toBeUndefined();
    expect(table.lookup('web', 'default', 'store')).toBeUndefined();
    expect(table.lookup('web', 'default', 'wasi:keyvalue')).toBeUndefined();
  });

  it('follow - loads existing specs, then follows changes and tells listeners the source id', async () => {
    const { store, table } = await followed(link());
    const changed: string[] = [];
    table.onChange((id) => changed.push(id));
    await store.putSpec('api', { url: '', links: [link({ source_id: 'api', target: 'kv' })] }, 0);
    expect(changed).toEqual(['api']);
    expect(table.linksTo('kv').map((l) => l.source_id)).toEqual(['web', 'api']);
    expect(table.linksFrom('api')).toHaveLength(1);
    expect(table.all()).toHaveLength(2);
  });

  it('stop - no more changes are seen; a removed listener is not called', async () => {
    const { store, table } = await followed();
    const seen: string[] = [];
    const off = table.onChange((id) => seen.push(id));
    off();
    await store.putSpec('web', { url: '', links: [link()] }, 0);
    expect(seen).toEqual([]);
    table.stop();
    await store.putSpec('api', { url: '', links: [link({ source_id: 'api' })] }, 0);
    expect(table.linksFrom('api')).toEqual([]);
  });

  it('linksFrom - a copy: changing it does not change the table', async () => {
    const { table } = await followed(link());
    table.linksFrom('web').pop();
    expect(table.linksFrom('web')).toHaveLength(1);
  });
});
