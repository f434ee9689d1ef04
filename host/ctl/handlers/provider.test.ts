import { describe, expect, it } from 'vitest';
import { call, codeOf, FakeCtlContext } from '../fake-context.ts';
import { providerAuction, providerStart, providerStop } from './provider.ts';

const start = { provider_id: 'http', provider_ref: 'weft+builtin://http-server', config: [] };

describe('ctl provider handlers', () => {
  it('provider.start - acks at once and starts it with this host id', async () => {
    const ctx = new FakeCtlContext();
    expect(await call(ctx, providerStart, { ...start, host_id: 'other' })).toMatchObject({
      success: true,
      message: 'starting provider http',
    });
    expect(ctx.providers.started).toMatchObject([{ provider_id: 'http', host_id: ctx.id }]);
  });

  it('provider.start - a malformed command or ref is refused with a code and nothing starts', async () => {
    for (const bad of [{ ...start, provider_ref: 'gopher://x' }, { ...start, provider_id: '*' }, '[]']) {
      const ctx = new FakeCtlContext();
      expect(codeOf(await call(ctx, providerStart, bad)), JSON.stringify(bad)).toMatch(
        /^(LAT_BAD_PAYLOAD|LAT_BAD_REQUEST|OCI_)/,
      );
      expect(ctx.providers.started).toEqual([]);
    }
  });

  it('provider.stop - stops a running provider; one not running here is HOST_NOT_FOUND', async () => {
    const ctx = new FakeCtlContext();
    expect(codeOf(await call(ctx, providerStop, { provider_id: 'http', host_id: ctx.id }))).toBe('HOST_NOT_FOUND');
    ctx.providers.running.add('http');
    expect((await call(ctx, providerStop, { provider_id: 'http', host_id: ctx.id }))?.success).toBe(true);
    expect(ctx.providers.stopped).toEqual(['http']);
  });

  it('provider.stop - a malformed command is LAT_BAD_PAYLOAD', async () => {
    expect(codeOf(await call(new FakeCtlContext(), providerStop, { host_id: 'x' }))).toBe('LAT_BAD_PAYLOAD');
  });

  it('provider.auction - answers when labels match and the id does not run here, else stays silent', async () => {
    const ctx = new FakeCtlContext();
    const req = { provider_ref: start.provider_ref, provider_id: 'http', constraints: { 'hostcore.os': 'linux' } };
    expect((await call(ctx, providerAuction, req))?.response).toEqual({
      provider_ref: start.provider_ref,
      provider_id: 'http',
      host_id: ctx.id,
    });
    expect(await call(ctx, providerAuction, { ...req, constraints: { zone: 'z' } })).toBeUndefined();
    ctx.providers.running.add('http');
    expect(await call(ctx, providerAuction, req)).toBeUndefined();
    expect(codeOf(await call(ctx, providerAuction, { provider_id: 'http' }))).toBe('LAT_BAD_PAYLOAD');
  });
});
