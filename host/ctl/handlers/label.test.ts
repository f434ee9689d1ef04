import { describe, expect, it } from 'vitest';
import { call, codeOf, FakeCtlContext } from '../fake-context.ts';
import { labelDel, labelPut } from './label.ts';

describe('ctl label handlers', () => {
  it('label put/del - sets and removes a label', async () => {
    const ctx = new FakeCtlContext();
    expect((await call(ctx, labelPut, { key: 'tier', value: 'gold' }))?.success).toBe(true);
    expect(ctx.labels['tier']).toBe('gold');
    expect((await call(ctx, labelDel, { key: 'tier' }))?.success).toBe(true);
    expect(ctx.labels).not.toHaveProperty('tier');
  });

  it('label put/del - hostcore.* keys are HOST_REFUSED and unchanged', async () => {
    const ctx = new FakeCtlContext();
    expect(codeOf(await call(ctx, labelPut, { key: 'hostcore.os', value: 'x' }))).toBe('HOST_REFUSED');
    expect(codeOf(await call(ctx, labelDel, { key: 'hostcore.os' }))).toBe('HOST_REFUSED');
    expect(ctx.labels['hostcore.os']).toBe('linux');
  });

  it('label del - a label that is not set is HOST_NOT_FOUND', async () => {
    expect(codeOf(await call(new FakeCtlContext(), labelDel, { key: 'nope' }))).toBe('HOST_NOT_FOUND');
  });

  it('label put - without a value sets the empty string', async () => {
    const ctx = new FakeCtlContext();
    expect((await call(ctx, labelPut, { key: 'k' }))?.success).toBe(true);
    expect(ctx.labels['k']).toBe('');
  });

  it('label put/del - a body without a key, or not an object, is LAT_BAD_PAYLOAD', async () => {
    const ctx = new FakeCtlContext();
    expect(codeOf(await call(ctx, labelPut, { value: 'v' }))).toBe('LAT_BAD_PAYLOAD');
    expect(codeOf(await call(ctx, labelPut, 'null'))).toBe('LAT_BAD_PAYLOAD');
    expect(codeOf(await call(ctx, labelDel, {}))).toBe('LAT_BAD_PAYLOAD');
  });
});
