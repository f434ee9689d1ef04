import { describe, expect, it } from 'vitest';
import { EventType } from '../../../lattice/index.ts';
import { call, codeOf, FakeCtlContext } from '../fake-context.ts';
import { configDel, configGet, configPut } from './config.ts';

describe('ctl config handlers', () => {
  it('config put/get/del - stores a string map, gets it back, deletes it, with config_set/config_deleted', async () => {
    const ctx = new FakeCtlContext();
    expect((await call(ctx, configPut, { a: '1', b: '2' }, 'cfg'))?.success).toBe(true);
    expect((await call(ctx, configGet, '', 'cfg'))?.response).toEqual({ a: '1', b: '2' });
    expect((await call(ctx, configDel, '', 'cfg'))?.success).toBe(true);
    expect(codeOf(await call(ctx, configGet, '', 'cfg'))).toBe('HOST_NOT_FOUND');
    expect(ctx.events).toEqual([
      { type: EventType.ConfigSet, data: { config_name: 'cfg' } },
      { type: EventType.ConfigDeleted, data: { config_name: 'cfg' } },
    ]);
  });

  it('config del - deleting a config that does not exist succeeds (idempotent)', async () => {
    expect((await call(new FakeCtlContext(), configDel, '', 'never'))?.success).toBe(true);
  });

  it('config put/get/del - a name that is not one subject token (or none) is LAT_BAD_PAYLOAD', async () => {
    const ctx = new FakeCtlContext();
    for (const name of [undefined, '', 'a.b', '*', 'x'.repeat(300)]) {
      expect(codeOf(await call(ctx, configPut, { a: '1' }, name)), String(name)).toBe('LAT_BAD_PAYLOAD');
      expect(codeOf(await call(ctx, configGet, '', name))).toBe('LAT_BAD_PAYLOAD');
      expect(codeOf(await call(ctx, configDel, '', name))).toBe('LAT_BAD_PAYLOAD');
    }
    expect(ctx.events).toEqual([]);
  });

  it('config put - values that are not strings, or a body that is not an object, are LAT_BAD_PAYLOAD', async () => {
    const ctx = new FakeCtlContext();
    for (const bad of [{ a: 1 }, { a: { b: 'c' } }, '[1]', 'nope'])
      expect(codeOf(await call(ctx, configPut, bad, 'cfg')), JSON.stringify(bad)).toBe('LAT_BAD_PAYLOAD');
    expect(await ctx.config.get('cfg')).toBeUndefined();
  });
});
