import { describe, expect, it } from 'vitest';
import type { PolicyKind, Provider, StartProviderCommand } from '../../lattice/index.ts';
import { captureLogger } from '../../test/helpers/unit.ts';
import type { PolicyPort } from '../policy/index.ts';
import { providerFactoryFor } from './provider-factory.ts';
import type { ProviderSources } from './provider-factory.ts';

const fake: Provider = { init: () => undefined, shutdown: () => undefined };
const cmd = (ref: string, over: Partial<StartProviderCommand> = {}): StartProviderCommand => ({
  provider_id: 'kv',
  provider_ref: ref,
  host_id: 'H',
  config: [],
  ...over,
});

function sources(policy?: PolicyPort): ProviderSources {
  return {
    builtins: { 'keyvalue-memory': () => fake, 'http-server': () => fake },
    policy,
    logger: captureLogger().logger,
  };
}

function policy(permitted: boolean, message = ''): PolicyPort & { asked: [PolicyKind, unknown, string][] } {
  const asked: [PolicyKind, unknown, string][] = [];
  return {
    asked,
    evaluate: (kind, req, key) => (
      asked.push([kind, req, key]),
      Promise.resolve({ permitted, message, requestId: 'r' })
    ),
  };
}

describe('providerFactoryFor', () => {
  it('a built-in ref gives its factory; the policy service is asked startProvider, keyed by id and ref', async () => {
    const p = policy(true);
    const f = await providerFactoryFor(
      cmd('weft+builtin://keyvalue-memory', { annotations: { a: 'b' } }),
      sources(p),
      () => undefined,
    );
    expect(f()).toBe(fake);
    expect(p.asked).toEqual([
      [
        'startProvider',
        { providerId: 'kv', imageRef: 'weft+builtin://keyvalue-memory', annotations: { a: 'b' } },
        'kv|weft+builtin://keyvalue-memory',
      ],
    ]);
    expect((await providerFactoryFor(cmd('weft+builtin://http-server'), sources(), () => undefined))()).toBe(fake);
  });

  it('an unknown built-in is HOST_REFUSED naming the built-ins there are, before any policy question', async () => {
    const p = policy(true);
    await expect(providerFactoryFor(cmd('weft+builtin://nope'), sources(p), () => undefined)).rejects.toMatchObject({
      code: 'HOST_REFUSED',
      message: expect.stringContaining('built-ins are weft+builtin://keyvalue-memory, weft+builtin://http-server'),
    });
    expect(p.asked).toEqual([]);
  });

  it('a policy denial is HOST_REFUSED in the one message shape, naming the provider and the reason', async () => {
    await expect(
      providerFactoryFor(cmd('weft+builtin://keyvalue-memory'), sources(policy(false, 'no kv here')), () => undefined),
    ).rejects.toMatchObject({
      code: 'HOST_REFUSED',
      message: '[HOST_REFUSED] policy service denied starting provider kv: no kv here',
    });
  });

  it('a file:// ref on a host without --allow-provider-dir is HOST_PROVIDER_NOT_ALLOWED', async () => {
    await expect(providerFactoryFor(cmd('file:///tmp/provider.js'), sources(), () => undefined)).rejects.toMatchObject({
      code: 'HOST_PROVIDER_NOT_ALLOWED',
    });
  });
});
