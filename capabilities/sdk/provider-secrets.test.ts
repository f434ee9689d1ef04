import { describe, expect, it } from 'vitest';
import { sealLinkSecrets } from '../../lattice/index.ts';
import type { HostData, ResolvedLink } from '../../lattice/index.ts';
import { newXkey, xkeySeed } from '../../lattice/secrets/index.ts';
import { hostDataOf, resolvedLinkOf } from '../../test/helpers/unit.ts';
import { ProcessLinkSecrets } from './provider-secrets.ts';

const VALUE = 'sdk-planted-secret-a41f';
const link: ResolvedLink = resolvedLinkOf('c1', 'p1', 'weft:test', ['secret'], { target_config: ['SECRET_x'] });
const host = newXkey();
const provider = newXkey();
const hd = (keys: boolean): HostData =>
  hostDataOf(keys ? { host_xkey_public_key: host.getPublicKey(), provider_xkey_private_key: xkeySeed(provider) } : {});
const sealedTo = (to: string) => ({
  ...link,
  ...sealLinkSecrets(host, to, { target_secrets: { tok: { tag: 'string', val: VALUE } } }),
});

describe('ProcessLinkSecrets', () => {
  it('opens a link’s secrets for linkSecrets(link) and hands the link on without the sealed fields', () => {
    const s = new ProcessLinkSecrets(hd(true));
    expect(s.take(sealedTo(provider.getPublicKey()))).toEqual(link);
    expect(s.forLink(link).target_secrets?.['tok']).toEqual({ tag: 'string', val: VALUE });
    expect(s.take(link)).toEqual(link); // a re-put without secrets forgets them
    expect(s.forLink(link)).toEqual({});
    s.take(sealedTo(provider.getPublicKey()));
    s.delete(link);
    expect(s.forLink(link)).toEqual({});
  });

  it('hostile - a box sealed to another key, or secrets without HostData xkeys: LAT_BAD_PAYLOAD, no value, none kept', () => {
    const s = new ProcessLinkSecrets(hd(true));
    s.take(sealedTo(provider.getPublicKey()));
    const err = (() => {
      try {
        s.take(sealedTo(newXkey().getPublicKey()));
      } catch (e) {
        return e as Error & { code?: string };
      }
    })();
    expect(err?.code).toBe('LAT_BAD_PAYLOAD');
    expect(err?.message).not.toContain(VALUE);
    expect(s.forLink(link)).toEqual({}); // the earlier secrets of that link are dropped, not kept stale
    expect(() => new ProcessLinkSecrets(hd(false)).take(sealedTo(provider.getPublicKey()))).toThrow(
      /without the HostData xkeys/,
    );
  });
});
