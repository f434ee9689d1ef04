import { describe, expect, it } from 'vitest';
import { call, codeOf, FakeCtlContext } from '../fake-context.ts';
import { componentAuction, componentScale, componentUpdate } from './component.ts';

const scale = { component_ref: 'file:///tmp/adder.wasm', component_id: 'adder', count: 2, host_id: 'spoofed' };
const settle = () => new Promise((r) => setImmediate(r));

describe('ctl component handlers', () => {
  it('component.scale - acks at once and asks the runtime, with the host id of this host', async () => {
    const ctx = new FakeCtlContext();
    const res = await call(ctx, componentScale, scale);
    expect(res).toMatchObject({ success: true, message: 'scaling adder to 2' });
    expect(ctx.components?.scaled).toMatchObject([{ component_id: 'adder', count: 2, host_id: ctx.id }]);
  });

  it('component.scale - a failing scale is still acked (its outcome is an event) and logged as a warning', async () => {
    const ctx = new FakeCtlContext();
    ctx.components!.failWith = new Error('boom');
    expect((await call(ctx, componentScale, scale))?.success).toBe(true);
    await settle();
    expect(ctx.logged).toMatchObject([{ level: 'warn', msg: 'scale failed' }]);
  });

  it('component.scale - count 0 does not check the ref (a stop names any ref)', async () => {
    const ctx = new FakeCtlContext();
    const res = await call(ctx, componentScale, { ...scale, component_ref: 'not a ref', count: 0 });
    expect(res?.success).toBe(true);
    expect(ctx.components?.scaled[0]?.count).toBe(0);
  });

  it('component.scale - a bad ref, a bad id or no count is LAT_BAD_PAYLOAD and nothing is scaled', async () => {
    for (const bad of [
      { ...scale, component_ref: 'ftp://x' },
      { ...scale, component_id: 'a.b' },
      { ...scale, count: undefined },
      'not json',
    ]) {
      const ctx = new FakeCtlContext();
      const res = await call(ctx, componentScale, bad);
      expect(codeOf(res), JSON.stringify(bad)).toMatch(/^(LAT_BAD_PAYLOAD|LAT_BAD_REQUEST|OCI_BAD_REFERENCE)$/);
      expect(ctx.components?.scaled).toEqual([]);
    }
  });

  it('component.scale - a host without a runtime answers HOST_NO_RUNTIME', async () => {
    const ctx = new FakeCtlContext();
    ctx.components = undefined;
    expect(codeOf(await call(ctx, componentScale, scale))).toBe('HOST_NO_RUNTIME');
  });

  it('component.update - acks for a running component', async () => {
    const ctx = new FakeCtlContext();
    ctx.components!.running.add('adder');
    const res = await call(ctx, componentUpdate, { component_id: 'adder', new_component_ref: 'file:///tmp/v2.wasm' });
    expect(res).toMatchObject({ success: true, message: 'updating adder' });
    expect(ctx.components?.updated).toMatchObject([{ component_id: 'adder', host_id: ctx.id }]);
  });

  it('component.update - a component not running here is HOST_NOT_FOUND, no runtime HOST_NO_RUNTIME', async () => {
    const ctx = new FakeCtlContext();
    const upd = { component_id: 'adder', new_component_ref: 'file:///tmp/v2.wasm' };
    expect(codeOf(await call(ctx, componentUpdate, upd))).toBe('HOST_NOT_FOUND');
    ctx.components = undefined;
    expect(codeOf(await call(ctx, componentUpdate, upd))).toBe('HOST_NO_RUNTIME');
  });

  it('component.update - a malformed command is LAT_BAD_PAYLOAD', async () => {
    const ctx = new FakeCtlContext();
    expect(codeOf(await call(ctx, componentUpdate, { component_id: 'adder' }))).toBe('LAT_BAD_PAYLOAD');
  });

  it('component.auction - a host whose labels match and that does not run the id answers with its id', async () => {
    const ctx = new FakeCtlContext();
    const req = { component_ref: 'file:///x.wasm', component_id: 'adder', constraints: { zone: 'a' } };
    expect(await call(ctx, componentAuction, req)).toMatchObject({
      success: true,
      response: { component_id: 'adder', host_id: ctx.id },
    });
  });

  it('component.auction - silent when a constraint does not match, the id runs here, or there is no runtime', async () => {
    const req = { component_ref: 'file:///x.wasm', component_id: 'adder', constraints: { zone: 'a' } };
    const ctx = new FakeCtlContext();
    expect(await call(ctx, componentAuction, { ...req, constraints: { zone: 'b' } })).toBeUndefined();
    expect(await call(ctx, componentAuction, { ...req, constraints: { toString: 'x' } })).toBeUndefined();
    ctx.components!.running.add('adder');
    expect(await call(ctx, componentAuction, req)).toBeUndefined();
    ctx.components = undefined;
    expect(await call(ctx, componentAuction, req)).toBeUndefined();
  });
});
