import { describe, expect, it } from 'vitest';
import { EventType } from '../../../lattice/index.ts';
import { call, codeOf, FakeCtlContext } from '../fake-context.ts';
import { linkDel, linkGet, linkPut } from './link.ts';

const link = {
  source_id: 'web',
  target: 'kv',
  name: 'default',
  wit_namespace: 'wasi',
  wit_package: 'keyvalue',
  interfaces: ['store'],
  source_config: [],
  target_config: [],
};
const key = { source_id: 'web', name: 'default', wit_namespace: 'wasi', wit_package: 'keyvalue' };

describe('ctl link handlers', () => {
  it('link put/get/del - a put is stored on the source spec, listed by get, removed by del, with events', async () => {
    const ctx = new FakeCtlContext();
    expect((await call(ctx, linkPut, link))?.success).toBe(true);
    expect((await call(ctx, linkGet))?.response).toEqual([link]);
    expect((await call(ctx, linkDel, key))?.success).toBe(true);
    expect((await call(ctx, linkGet))?.response).toEqual([]);
    expect(ctx.events.map((e) => e.type)).toEqual([EventType.LinkdefSet, EventType.LinkdefDeleted]);
    expect(ctx.events[1]?.data).toMatchObject({ ...key, target: 'kv', interfaces: ['store'] });
  });

  it('link put - a second put with the same key and target replaces the first', async () => {
    const ctx = new FakeCtlContext();
    await call(ctx, linkPut, link);
    await call(ctx, linkPut, { ...link, interfaces: ['store', 'atomics'] });
    expect((await call(ctx, linkGet))?.response).toEqual([{ ...link, interfaces: ['store', 'atomics'] }]);
  });

  it('link put - another target on the same key is HOST_REFUSED and publishes linkdef_set_failed', async () => {
    const ctx = new FakeCtlContext();
    await call(ctx, linkPut, link);
    const res = await call(ctx, linkPut, { ...link, target: 'other' });
    expect(codeOf(res)).toBe('HOST_REFUSED');
    expect(ctx.events.at(-1)).toMatchObject({ type: EventType.LinkdefSetFailed, data: { target: 'other' } });
  });

  it('link put - a missing named config is LAT_NOT_FOUND naming it; once it exists the put works', async () => {
    const ctx = new FakeCtlContext();
    const res = await call(ctx, linkPut, { ...link, target_config: ['kv-cfg'] });
    expect(codeOf(res)).toBe('LAT_NOT_FOUND');
    expect(res?.message).toContain('"kv-cfg"');
    await ctx.config.put('kv-cfg', { bucket: 'b' });
    expect((await call(ctx, linkPut, { ...link, target_config: ['kv-cfg'] }))?.success).toBe(true);
  });

  it('link put - a source whose caps lack the package is refused (HOST_REFUSED), nothing stored', async () => {
    const ctx = new FakeCtlContext();
    ctx.caps.set('web', ['wasi:http']);
    expect(codeOf(await call(ctx, linkPut, link))).toBe('HOST_REFUSED');
    expect((await call(ctx, linkGet))?.response).toEqual([]);
  });

  it('link put/del - malformed bodies are LAT_BAD_PAYLOAD and publish nothing', async () => {
    const ctx = new FakeCtlContext();
    expect(codeOf(await call(ctx, linkPut, { ...link, interfaces: [] }))).toBe('LAT_BAD_PAYLOAD');
    expect(codeOf(await call(ctx, linkDel, { source_id: 'web' }))).toBe('LAT_BAD_PAYLOAD');
    expect(ctx.events).toEqual([]);
  });

  it('link del - deleting a link that does not exist is a success and still publishes linkdef_deleted', async () => {
    const ctx = new FakeCtlContext();
    expect((await call(ctx, linkDel, key))?.success).toBe(true);
    expect(ctx.events).toMatchObject([{ type: EventType.LinkdefDeleted, data: key }]);
    expect(ctx.events[0]?.data).not.toHaveProperty('target');
  });

  it('link put/del/get - a host without a link store answers HOST_NO_LINK_STORE', async () => {
    const ctx = new FakeCtlContext();
    ctx.linkStore = undefined;
    expect(codeOf(await call(ctx, linkPut, link))).toBe('HOST_NO_LINK_STORE');
    expect(codeOf(await call(ctx, linkDel, key))).toBe('HOST_NO_LINK_STORE');
    expect(codeOf(await call(ctx, linkGet))).toBe('HOST_NO_LINK_STORE');
  });
});
