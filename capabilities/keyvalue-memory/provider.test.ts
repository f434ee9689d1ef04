import { describe, expect, it } from 'vitest';
import { resolvedLinkOf } from '../../test/helpers/unit.ts';
import type { ProviderContext, ResolvedLink } from '../sdk/index.ts';
import { MemoryKvProvider } from './provider.ts';

const link = (source_id: string, target_config_values: Record<string, string> = {}): ResolvedLink =>
  resolvedLinkOf(source_id, 'memkv', 'wasi:keyvalue', ['store'], { target_config_values });

const provider = (): MemoryKvProvider => {
  const p = new MemoryKvProvider();
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
  p.init({ providerId: 'memkv', hostId: 'H', lattice: 'l', config: {}, log } as unknown as ProviderContext);
  return p;
};
const call = (p: MemoryKvProvider, l: ResolvedLink, func: string, args: unknown[]): Promise<unknown> =>
  p.handleImport(l.source_id, l, 'wasi:keyvalue/store@0.2.0-draft', func, args);

describe('keyvalue-memory: per-link buckets', () => {
  it("one component never reads or lists another's keys under the same identifier; a shared namespace is shared", async () => {
    const p = provider();
    const [a, b] = [link('a'), link('b')];
    await call(p, a, '[method]bucket.set', ['default', 'secret', new TextEncoder().encode('s')]);
    expect(await call(p, b, '[method]bucket.get', ['default', 'secret'])).toBeUndefined();
    expect(await call(p, b, '[method]bucket.list-keys', ['default', undefined])).toEqual({ keys: [] });
    expect(await call(p, a, '[method]bucket.list-keys', ['default', undefined])).toEqual({ keys: ['secret'] });
    await call(p, link('x', { namespace: 'shared' }), '[method]bucket.set', [
      'default',
      'k',
      new TextEncoder().encode('v'),
    ]);
    expect(await call(p, link('y', { namespace: 'shared' }), '[method]bucket.exists', ['default', 'k'])).toBe(true);
  });

  it('refuses glob and separator identifiers with KV_BAD_IDENTIFIER, and reads create no buckets', async () => {
    const p = provider();
    for (const id of ['*', 'a:b', ''])
      await expect(call(p, link('a'), 'open', [id])).rejects.toMatchObject({
        value: { tag: 'other', val: expect.stringMatching(/^\[KV_BAD_IDENTIFIER\]/) },
      });
    for (let i = 0; i < 10; i++) await call(p, link('a'), '[method]bucket.get', [`b${i}`, 'k']);
    expect(p.health().message).toBe('0 buckets');
  });
});
