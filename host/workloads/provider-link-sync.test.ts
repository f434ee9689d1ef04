import { describe, expect, it } from 'vitest';
import { MemoryConfigStore, MemoryLinkStore } from '../../lattice/index.ts';
import type { ConfigStore, Link, Provider, ResolvedLink } from '../../lattice/index.ts';
import { captureLogger, putSpecs, testLink } from '../../test/helpers/unit.ts';
import { LinkTable } from '../links/link-table.ts';
import { ProviderLinkSync } from './provider-link-sync.ts';
import type { LinkedProvider } from './provider-link-sync.ts';

const link = testLink;

async function sync(links: Link[], config: ConfigStore = new MemoryConfigStore()) {
  const store = new MemoryLinkStore();
  await putSpecs(store, links);
  const table = new LinkTable();
  await table.follow(store);
  const log = captureLogger('warn');
  return { s: new ProviderLinkSync(table, config, log.logger), lines: log.lines, store, table };
}

/** A provider that records what it is given. */
function recorder(id = 'kv'): LinkedProvider & { got: string[] } {
  const got: string[] = [];
  const provider: Provider = {
    init: () => undefined,
    shutdown: () => undefined,
    onLinkAsTarget: (l: ResolvedLink) => void got.push(`put ${l.source_id} ${JSON.stringify(l.target_config_values)}`),
    onLinkAsSource: (l: ResolvedLink) => void got.push(`source ${l.target}`),
    onLinkDeleted: (l: Link, role: string) => void got.push(`del ${l.source_id} ${role}`),
  };
  return { id, provider, applied: new Map(), got };
}

describe('ProviderLinkSync', () => {
  it('providerConfig - the merge rule: later names win, every name required, SECRET_ names left to the secrets', async () => {
    const config = new MemoryConfigStore();
    await config.put('a', { x: '1', y: '1' });
    await config.put('b', { y: '2' });
    await config.put('SECRET_db', { backend: 'nats-kv', key: 'db' });
    const { s } = await sync([], config);
    expect(await s.providerConfig(['a', 'b', 'SECRET_db'])).toEqual({ x: '1', y: '2' });
    expect(await s.providerConfig(['a', 'SECRET_gone'])).toEqual({ x: '1', y: '1' }); // a secret, resolved elsewhere
    expect(await s.providerConfig(['b', 'a'])).toEqual({ x: '1', y: '1' });
    await expect(s.providerConfig(['a', 'gone'])).rejects.toMatchObject({
      code: 'LAT_NOT_FOUND',
      message: expect.stringContaining('config "gone" does not exist'),
    });
  });

  it('resolve - a missing config is skipped; one that cannot be read is left out with a warning, the others kept', async () => {
    const mem = new MemoryConfigStore();
    await mem.put('t1', { bucket: 'b', ttl: '1' });
    await mem.put('t2', { ttl: '2' });
    const config: ConfigStore = {
      get: (n) => (n === 'corrupt' ? Promise.reject(new Error('bad entry')) : mem.get(n)),
      put: (n, v) => mem.put(n, v),
      del: (n) => mem.del(n),
    };
    const { s, lines } = await sync([], config);
    const r = await s.resolve(link({ target_config: ['t1', 'corrupt', 'gone', 't2'], source_config: ['SECRET_x'] }));
    expect(r.target_config_values).toEqual({ bucket: 'b', ttl: '2' });
    expect(r.source_config_values).toEqual({});
    expect(lines).toMatchObject([
      { config: 'corrupt', err: 'bad entry', msg: 'link config unreadable: delivered without it' },
    ]);
  });

  it('sync - each link naming the provider is put once; a re-put with another config is deleted then put; a removed one deleted', async () => {
    const config = new MemoryConfigStore();
    await config.put('t', { bucket: 'b' });
    const { s, store } = await sync(
      [link(), link({ source_id: 'api' }), link({ source_id: 'kv', target: 'web' })],
      config,
    );
    const p = recorder();
    await s.sync(p);
    await s.sync(p);
    expect(p.got.sort()).toEqual(['put api {}', 'put web {}', 'source web']);
    p.got.length = 0;
    await putSpecs(store, [link({ target_config: ['t'] })]);
    await store.putSpec('api', { url: '', links: [] }, (await store.getSpecWithRevision('api')).revision);
    await s.sync(p);
    expect(p.got).toEqual(['del web target', 'del api target', 'put web {"bucket":"b"}']);
  });
});
