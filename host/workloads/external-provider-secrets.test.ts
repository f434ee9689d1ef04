import { describe, expect, it } from 'vitest';
import { decodeHostData, encodeHostData, openLinkSecrets } from '../../lattice/index.ts';
import type { HostData, Link, ResolvedLink } from '../../lattice/index.ts';
import { xkeyFromSeed } from '../../lattice/secrets/index.ts';
import { hostDataOf, resolvedLinkOf } from '../../test/helpers/unit.ts';
import { ProviderXkeys } from './external-provider-secrets.ts';

const VALUE = 'hostdata-planted-secret-0c9d';
const link: ResolvedLink = resolvedLinkOf('c1', 'p1', 'weft:test', ['secret'], { target_config: ['SECRET_x'] });
const linkSecrets = (l: Link) =>
  Promise.resolve(l.target_config.length ? { target_secrets: { tok: { tag: 'string' as const, val: VALUE } } } : {});
const hostData = (x: ProviderXkeys, links: HostData['link_definitions']): HostData =>
  hostDataOf({ ...x.hostDataKeys(), link_definitions: links });

describe('ProviderXkeys (external provider link secrets)', () => {
  it('the HostData line holds the link secrets only sealed; the seed it carries opens them', async () => {
    const x = new ProviderXkeys();
    const line = encodeHostData(hostData(x, [await x.seal(link, linkSecrets)]));
    expect(line).not.toContain(VALUE);
    expect(Buffer.from(line, 'base64').toString()).not.toContain(VALUE);
    const d = decodeHostData(line);
    const kp = xkeyFromSeed(d.provider_xkey_private_key!);
    expect(openLinkSecrets(kp, d.host_xkey_public_key!, d.link_definitions[0]!).target_secrets).toEqual({
      tok: { tag: 'string', val: VALUE },
    });
  });

  it('each start has its own keys: a box of one start does not open with the next', async () => {
    const a = new ProviderXkeys();
    const b = new ProviderXkeys();
    expect(b.hostDataKeys().provider_xkey_private_key).not.toBe(a.hostDataKeys().provider_xkey_private_key);
    const sealed = await a.seal(link, linkSecrets);
    const kb = xkeyFromSeed(b.hostDataKeys().provider_xkey_private_key);
    expect(() => openLinkSecrets(kb, a.hostDataKeys().host_xkey_public_key, sealed)).toThrow(/does not open/);
  });

  it('a link without secrets, or a host without a resolver, is sent as it is', async () => {
    const x = new ProviderXkeys();
    expect(await x.seal({ ...link, target_config: [] }, linkSecrets)).toEqual({ ...link, target_config: [] });
    expect(await x.seal(link, undefined)).toBe(link);
  });

  it('a resolver failure is the coded error, and it carries no value', async () => {
    const x = new ProviderXkeys();
    const failing = () => Promise.reject(new Error('[SECRET_DENIED] the backend refused secret tok'));
    await expect(x.seal(link, failing)).rejects.toThrow(/SECRET_DENIED/);
  });
});
