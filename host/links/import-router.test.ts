import { describe, expect, it } from 'vitest';
import { MemoryLinkStore } from '../../lattice/index.ts';
import type { Link } from '../../lattice/index.ts';
import { putSpecs, testLink } from '../../test/helpers/unit.ts';
import type { ImportRouterDeps } from './import-router.ts';
import { ImportRouter } from './import-router.ts';
import { LinkTable } from './link-table.ts';

const link = testLink;

type LocalCall = Parameters<ImportRouterDeps['invokeLocal']>[1];

/** A router over an in-memory link table; every target runs "here" (no NATS: `nc` is never used). */
async function router(links: Link[], caps?: string[]) {
  const store = new MemoryLinkStore();
  await putSpecs(store, links);
  const table = new LinkTable();
  await table.follow(store);
  const calls: [string, LocalCall][] = [];
  const r = new ImportRouter({
    lattice: 'default',
    links: table,
    nc: undefined as never,
    capsOf: () => caps,
    invokeLocal: (target, call) => {
      calls.push([target, call]);
      return Promise.resolve(`${target}:${call.func}`);
    },
  });
  return { r, calls };
}

describe('import router', () => {
  it('a call goes to the target of the link for its interface (any version) and link name', async () => {
    const { r, calls } = await router([link(), link({ name: 'cache', target: 'kv2' })]);
    expect(await r.route('web', 'wasi:keyvalue/store@0.2.0-draft', 'get', ['k'], '00-t-s-01')).toBe('kv:get');
    expect(await r.route('web', 'wasi:keyvalue/store', 'get', [], undefined, 'cache')).toBe('kv2:get');
    expect(calls[0]).toEqual([
      'kv',
      {
        sourceId: 'web',
        link: link(),
        iface: 'wasi:keyvalue/store@0.2.0-draft',
        func: 'get',
        args: ['k'],
        traceparent: '00-t-s-01',
      },
    ]);
  });

  it('no link: HOST_LINK_NOT_FOUND naming the call, the link name and the `weft link put` that would fix it', async () => {
    const { r, calls } = await router([link()]);
    await expect(r.route('web', 'wasi:blobstore/blobstore@0.2.0', 'get', [])).rejects.toMatchObject({
      code: 'HOST_LINK_NOT_FOUND',
      message: expect.stringContaining(
        'no link for wasi:blobstore/blobstore@0.2.0 with link name "default"; create one with `weft link put web TARGET wasi blobstore --interface blobstore`',
      ),
    });
    await expect(r.route('web', 'wasi:keyvalue/store', 'get', [], undefined, 'cache')).rejects.toThrow(
      /weft link put web TARGET wasi keyvalue --interface store --link-name cache`/,
    );
    expect(calls).toEqual([]);
  });

  it('caps checked before the link: an interface the claims do not allow is HOST_CAPABILITY_DENIED', async () => {
    const { r, calls } = await router([link()], ['wasi:http']);
    await expect(r.route('web', 'wasi:keyvalue/store', 'get', [])).rejects.toMatchObject({
      code: 'HOST_CAPABILITY_DENIED',
    });
    expect(calls).toEqual([]);
    expect(await (await router([link()], ['wasi:keyvalue'])).r.route('web', 'wasi:keyvalue/store', 'get', [])).toBe(
      'kv:get',
    );
  });
});
