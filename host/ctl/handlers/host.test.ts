import { describe, expect, it } from 'vitest';
import { call, codeOf, FakeCtlContext } from '../fake-context.ts';
import { claimsGet } from './claims.ts';
import { hostGet, hostPing, hostStop } from './host.ts';
import { registryPut } from './registry.ts';

const settle = () => new Promise((r) => setImmediate(r));

describe('ctl host, claims and registry handlers', () => {
  it('host.ping / host.get - the info and the inventory of the host', async () => {
    const ctx = new FakeCtlContext();
    expect((await call(ctx, hostPing))?.response).toEqual(ctx.info());
    expect((await call(ctx, hostGet))?.response).toEqual(ctx.inventory());
  });

  it('host.stop - acks first, stops after the reply (with the timeout given)', async () => {
    const ctx = new FakeCtlContext();
    expect(await call(ctx, hostStop, { timeout: 1500 })).toMatchObject({ success: true, message: 'host stopping' });
    expect(ctx.stops).toEqual([]);
    await settle();
    expect(ctx.stops).toEqual([{ reason: 'ctl', timeoutMs: 1500 }]);
  });

  it('host.stop - an empty body stops with the default drain; a bad timeout is LAT_BAD_PAYLOAD', async () => {
    const ctx = new FakeCtlContext();
    expect((await call(ctx, hostStop))?.success).toBe(true);
    expect(codeOf(await call(ctx, hostStop, { timeout: 'soon' }))).toBe('LAT_BAD_PAYLOAD');
    await settle();
    expect(ctx.stops).toEqual([{ reason: 'ctl', timeoutMs: undefined }]);
  });

  it('claims.get - every stored claim', async () => {
    const ctx = new FakeCtlContext();
    expect((await call(ctx, claimsGet))?.response).toEqual([]);
    await ctx.claims.put('MABC', { sub: 'MABC', name: 'adder' });
    expect((await call(ctx, claimsGet))?.response).toEqual([{ sub: 'MABC', name: 'adder' }]);
  });

  it('registry.put - stores credentials by registry; the reply and log name registries only', async () => {
    const ctx = new FakeCtlContext();
    const res = await call(ctx, registryPut, { 'ghcr.io': { username: 'u', password: 's3cret' } });
    expect(res).toMatchObject({ success: true });
    expect(ctx.registryCredentials.get('ghcr.io')).toMatchObject({ username: 'u', password: 's3cret' });
    expect(JSON.stringify([res, ctx.logged])).not.toMatch(/s3cret/);
  });

  it('registry.put.{host_id} - only the host named acts; another host stays silent', async () => {
    const ctx = new FakeCtlContext();
    expect(await call(ctx, registryPut, { 'ghcr.io': { token: 't' } }, 'NOTME')).toBeUndefined();
    expect(ctx.registryCredentials.size).toBe(0);
    expect((await call(ctx, registryPut, { 'ghcr.io': { token: 't' } }, ctx.id))?.success).toBe(true);
  });

  it('registry.put - a malformed put is LAT_BAD_PAYLOAD without echoing the secret', async () => {
    const ctx = new FakeCtlContext();
    const res = await call(ctx, registryPut, { 'ghcr.io': { username: 'u', password: 7, hidden: 'p4ss' } });
    expect(codeOf(res)).toBe('LAT_BAD_PAYLOAD');
    expect(res?.message).not.toMatch(/p4ss/);
    expect(ctx.registryCredentials.size).toBe(0);
  });
});
