import { describe, expect, it } from 'vitest';
import { MemoryConfigStore } from '../memory/memory-config-store.ts';
import type { ConfigStore } from './config-store.ts';
import { mergeConfigs } from './merge-configs.ts';

async function store(): Promise<MemoryConfigStore> {
  const s = new MemoryConfigStore();
  await s.put('base', { a: '1', b: '1' });
  await s.put('over', { b: '2', c: '2' });
  return s;
}

describe('mergeConfigs', () => {
  it('merges left to right: a later name wins', async () => {
    expect(await mergeConfigs(await store(), ['base', 'over'])).toEqual({ a: '1', b: '2', c: '2' });
    expect(await mergeConfigs(await store(), ['over', 'base'])).toEqual({ a: '1', b: '1', c: '2' });
  });

  it('skips a missing name unless required, then LAT_NOT_FOUND naming it', async () => {
    const s = await store();
    expect(await mergeConfigs(s, ['base', 'gone'])).toEqual({ a: '1', b: '1' });
    await expect(mergeConfigs(s, ['base', 'gone'], { required: true })).rejects.toMatchObject({
      code: 'LAT_NOT_FOUND',
      message: expect.stringContaining('"gone"') as unknown,
    });
  });

  it('no names: an empty map; a key like toString is not inherited', async () => {
    const merged = await mergeConfigs(await store(), []);
    expect(Object.keys(merged)).toEqual([]);
    expect(merged['toString']).toBeUndefined();
  });

  it('a SECRET_ name is a secret reference: required to exist, never merged', async () => {
    const s = await store();
    await s.put('SECRET_db', { backend: 'b', key: 'k' });
    expect(await mergeConfigs(s, ['base', 'SECRET_db'], { required: true })).toEqual({ a: '1', b: '1' });
    await expect(mergeConfigs(s, ['SECRET_gone'], { required: true })).rejects.toMatchObject({ code: 'LAT_NOT_FOUND' });
  });

  it('a SECRET_ name that is not required is not even read', async () => {
    const s = await store();
    const asked: string[] = [];
    const spy: ConfigStore = {
      get: (n) => (asked.push(n), s.get(n)),
      put: () => Promise.resolve(),
      del: () => Promise.resolve(false),
    };
    expect(await mergeConfigs(spy, ['SECRET_db', 'base'])).toEqual({ a: '1', b: '1' });
    expect(asked).toEqual(['base']);
  });

  it('onUnreadable - a name the store cannot read is reported and left out; the later names still merge', async () => {
    const s = await store();
    const flaky: ConfigStore = {
      get: (n) => (n === 'bad' ? Promise.reject(new Error('corrupt')) : s.get(n)),
      put: () => Promise.resolve(),
      del: () => Promise.resolve(false),
    };
    const seen: [string, string][] = [];
    const onUnreadable = (n: string, e: unknown) => void seen.push([n, (e as Error).message]);
    expect(await mergeConfigs(flaky, ['base', 'bad', 'over'], { onUnreadable })).toEqual({ a: '1', b: '2', c: '2' });
    expect(seen).toEqual([['bad', 'corrupt']]);
    await expect(mergeConfigs(flaky, ['bad'])).rejects.toThrow('corrupt');
  });

  it('a store failure propagates', async () => {
    const failing: ConfigStore = {
      get: () => Promise.reject(new Error('kv down')),
      put: () => Promise.resolve(),
      del: () => Promise.resolve(false),
    };
    await expect(mergeConfigs(failing, ['x'])).rejects.toThrow('kv down');
  });
});
