import { afterEach, describe, expect, it } from 'vitest';
import { setBadInputSink } from '../../../lattice/index.ts';
import { call, codeOf, FakeCtlContext } from '../fake-context.ts';
import { registryPut } from './registry.ts';

afterEach(() => setBadInputSink({ warn: () => undefined }));

describe('ctl registry.put', () => {
  it('stores the credentials per registry, replacing earlier ones; the reply and log name only the registries', async () => {
    const ctx = new FakeCtlContext();
    ctx.registryCredentials.set('ghcr.io', { username: 'old', password: 'old' });
    const res = await call(ctx, registryPut, {
      'ghcr.io': { username: 'u', password: 'planted-pw-7c1' },
      'registry.example': { token: 'planted-token-9d2' },
    });
    expect(res).toMatchObject({ success: true, message: 'registry credentials set for ghcr.io, registry.example' });
    expect(ctx.registryCredentials.get('ghcr.io')).toMatchObject({ username: 'u', password: 'planted-pw-7c1' });
    expect(ctx.registryCredentials.get('registry.example')).toMatchObject({ token: 'planted-token-9d2' });
    expect(JSON.stringify([res, ctx.logged])).not.toMatch(/planted/);
  });

  it('registry.put.{host_id} for another host is left to it (no reply); for this host it applies', async () => {
    const ctx = new FakeCtlContext();
    const creds = { 'ghcr.io': { token: 't' } };
    expect(await call(ctx, registryPut, creds, 'NOTHISHOST')).toBeUndefined();
    expect(ctx.registryCredentials.size).toBe(0);
    expect((await call(ctx, registryPut, creds, ctx.id))?.success).toBe(true);
  });

  it('a bad payload is LAT_BAD_PAYLOAD, reported as dropped input without the secret, and changes nothing', async () => {
    const dropped: unknown[] = [];
    setBadInputSink({ warn: (o) => void dropped.push(o) });
    const ctx = new FakeCtlContext();
    const res = await call(ctx, registryPut, { 'ghcr.io': { password: 'planted-pw-only' } });
    expect(codeOf(res)).toBe('LAT_BAD_PAYLOAD');
    expect(ctx.registryCredentials.size).toBe(0);
    expect(dropped).toHaveLength(1);
    expect(JSON.stringify([res, dropped])).not.toMatch(/planted/);
  });
});
