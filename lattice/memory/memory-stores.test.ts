import { describe, expect, it } from 'vitest';
import type { SpecChange } from '../stores/link-store.ts';
import { MemoryClaimsStore } from './memory-claims-store.ts';
import { MemoryConfigStore } from './memory-config-store.ts';
import { MemoryEventPublisher } from './memory-event-publisher.ts';
import { MemoryLinkStore } from './memory-link-store.ts';

const spec = (target: string) => ({
  url: '',
  links: [
    {
      source_id: 'web',
      target,
      name: 'default',
      wit_namespace: 'wasi',
      wit_package: 'keyvalue',
      interfaces: ['store'],
      source_config: [],
      target_config: [],
    },
  ],
});

describe('memory twins', () => {
  it('MemoryLinkStore - compare-and-set on the revision; a stale revision loses', async () => {
    const s = new MemoryLinkStore();
    expect(await s.getSpecWithRevision('web')).toEqual({ spec: undefined, revision: 0 });
    expect(await s.putSpec('web', spec('a'), 0)).toBe(true);
    const { revision } = await s.getSpecWithRevision('web');
    expect(await s.putSpec('web', spec('b'), 0)).toBe(false);
    expect(await s.putSpec('web', spec('b'), revision)).toBe(true);
    expect((await s.getSpec('web'))?.links[0]?.target).toBe('b');
  });

  it('MemoryLinkStore - watch replays what exists, then every change; copies cannot change the store', async () => {
    const s = new MemoryLinkStore();
    await s.putSpec('web', spec('a'), 0);
    const seen: SpecChange[] = [];
    const stop = await s.watch((c) => seen.push(c));
    await s.putSpec('api', spec('x'), 0);
    stop();
    await s.putSpec('other', spec('y'), 0);
    expect(seen.map((c) => c.sourceId)).toEqual(['web', 'api']);
    (await s.getSpec('web'))!.links.pop();
    expect((await s.listSpecs()).get('web')?.links).toHaveLength(1);
  });

  it('MemoryConfigStore / MemoryClaimsStore - put, get (a copy), del, list', async () => {
    const c = new MemoryConfigStore();
    await c.put('cfg', { a: '1' });
    (await c.get('cfg'))!['a'] = 'changed';
    expect(await c.get('cfg')).toEqual({ a: '1' });
    expect(await c.del('cfg')).toBe(true);
    expect(await c.del('cfg')).toBe(false);
    const claims = new MemoryClaimsStore();
    await claims.put('MA', { sub: 'MA' });
    expect(await claims.get('MA')).toEqual({ sub: 'MA' });
    expect(await claims.list()).toEqual([{ sub: 'MA' }]);
    expect(await claims.get('nope')).toBeUndefined();
  });

  it('MemoryEventPublisher - keeps CloudEvents with the wasmCloud type prefix', () => {
    const p = new MemoryEventPublisher();
    p.publish('component_scaled', 'N1', { component_id: 'c' });
    expect(p.events).toMatchObject([
      { type: 'com.wasmcloud.lattice.component_scaled', source: 'N1', data: { component_id: 'c' } },
    ]);
  });
});
