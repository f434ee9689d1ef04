import { describe, expect, it } from 'vitest';
import { hostDataOf, linkOf } from '../../test/helpers/unit.ts';
import { newXkey, xkeySeed } from '../secrets/index.ts';
import type { Link } from '../types/link.ts';
import { decodeHostData, encodeHostData } from './host-data.ts';
import type { HostData } from './host-data.ts';
import {
  decodeWireLinkDefinition,
  LinkSecretLimits,
  openLinkSecrets,
  sealLinkSecrets,
  withoutSealed,
} from './link-secrets.ts';

const VALUE = 'planted-link-secret-5b1e';
const base: Link = linkOf('c1', 'p1', 'weft:test', ['secret'], { target_config: ['SECRET_x'] });
const link = { ...base, source_config_values: {}, target_config_values: {} };
const host = newXkey();
const provider = newXkey();
const sealed = (): ReturnType<typeof sealLinkSecrets> =>
  sealLinkSecrets(host, provider.getPublicKey(), {
    target_secrets: { token: { tag: 'string', val: VALUE }, raw: { tag: 'bytes', val: Uint8Array.of(0, 255) } },
  });
const hd = (o: Partial<HostData> & Record<string, unknown>): HostData => hostDataOf(o);
const expectBad = (f: () => unknown, re: RegExp): void => {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect((err as { code?: string }).code).toBe('LAT_BAD_PAYLOAD');
  expect((err as Error).message).toMatch(re);
  expect((err as Error).message).not.toContain(VALUE);
};

describe('link secrets (sealed to the provider xkey)', () => {
  it('seals each side to the provider; only its key opens them; the wire text holds no value', () => {
    const s = sealed();
    expect(s.source_secrets).toBeUndefined();
    const wire = JSON.stringify({ ...link, ...s });
    expect(wire).not.toContain(VALUE);
    const l = decodeWireLinkDefinition(wire);
    expect(withoutSealed(l)).toEqual(link);
    const opened = openLinkSecrets(provider, host.getPublicKey(), l);
    expect(opened.target_secrets?.['token']).toEqual({ tag: 'string', val: VALUE });
    expect(opened.target_secrets?.['raw']).toEqual({ tag: 'bytes', val: Uint8Array.of(0, 255) });
    expectBad(() => openLinkSecrets(newXkey(), host.getPublicKey(), l), /does not open/);
    expectBad(() => openLinkSecrets(provider, newXkey().getPublicKey(), l), /does not open/);
  });

  it('an empty side is left out', () => {
    expect(sealLinkSecrets(host, provider.getPublicKey(), { target_secrets: {} })).toEqual({});
  });

  it('HostData carries the xkeys of the start (both or neither) and the sealed links', () => {
    const keys = { host_xkey_public_key: host.getPublicKey(), provider_xkey_private_key: xkeySeed(provider) };
    const line = encodeHostData(hd({ ...keys, link_definitions: [{ ...link, ...sealed() }] }));
    expect(Buffer.from(line, 'base64').toString()).not.toContain(VALUE);
    const d = decodeHostData(line);
    expect(d.provider_xkey_private_key).toBe(keys.provider_xkey_private_key);
    expect(
      openLinkSecrets(provider, d.host_xkey_public_key!, d.link_definitions[0]!).target_secrets?.['token'],
    ).toEqual({ tag: 'string', val: VALUE });
    expect(decodeHostData(encodeHostData(hd({}))).host_xkey_public_key).toBeUndefined();
  });

  it('hostile - bad xkeys in HostData are refused without quoting them', () => {
    const seed = xkeySeed(provider);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ host_xkey_public_key: host.getPublicKey() }, /provider_xkey_private_key/],
      [{ provider_xkey_private_key: seed }, /host_xkey_public_key/],
      [{ host_xkey_public_key: 'XNOTAKEY', provider_xkey_private_key: seed }, /host_xkey_public_key/],
      [{ host_xkey_public_key: host.getPublicKey(), provider_xkey_private_key: VALUE }, /provider_xkey_private_key/],
    ];
    for (const [o, re] of cases) {
      expectBad(() => decodeHostData(encodeHostData(hd(o))), re);
      try {
        decodeHostData(encodeHostData(hd(o)));
      } catch (e) {
        expect((e as Error).message).not.toContain(seed.slice(0, 12));
      }
    }
  });

  it('hostile - sealed fields must be bounded byte arrays; a box must hold a valid secret map', () => {
    const def = (o: Record<string, unknown>): string => JSON.stringify({ ...link, ...o });
    expectBad(() => decodeWireLinkDefinition(def({ target_secrets: VALUE })), /array of bytes/);
    expectBad(() => decodeWireLinkDefinition(def({ target_secrets: [1, 256] })), /bytes 0\.\.255/);
    expectBad(() => decodeWireLinkDefinition(def({ source_secrets: [1.5] })), /bytes 0\.\.255/);
    const big = new Array(LinkSecretLimits.sealedBytes + 1).fill(0);
    expectBad(() => decodeWireLinkDefinition(def({ target_secrets: big })), /longer than/);
    expect(decodeWireLinkDefinition(def({ target_secrets: null })).target_secrets).toBeUndefined();
    const box = (text: string): number[] => [...host.seal(new TextEncoder().encode(text), provider.getPublicKey())];
    const open = (text: string) => () =>
      openLinkSecrets(provider, host.getPublicKey(), decodeWireLinkDefinition(def({ target_secrets: box(text) })));
    expectBad(open(`not json ${VALUE}`), /not JSON/);
    expectBad(open('[1]'), /must be an object/);
    expectBad(open(JSON.stringify({ t: VALUE })), /secret "t": must be/);
    expectBad(open(JSON.stringify({ t: { kind: 'Bytes', value: [VALUE] } })), /secret "t": must hold bytes/);
    expectBad(open(JSON.stringify({ t: { String: VALUE } })), /secret "t": must be/); // weft's old external tagging
    expectBad(open(JSON.stringify({ ['n'.repeat(300)]: { kind: 'String', value: VALUE } })), /too long/);
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`s${i}`, { kind: 'String', value: 'v' }]));
    expectBad(open(JSON.stringify(many)), /more than 64/);
  });

  it("the sealed text is wasmCloud's map of SecretValue ({kind, value}), so a wasmCloud provider opens it", () => {
    const s = sealed();
    const text = new TextDecoder().decode(provider.open(Uint8Array.from(s.target_secrets!), host.getPublicKey())!);
    expect(JSON.parse(text)).toEqual({
      token: { kind: 'String', value: VALUE },
      raw: { kind: 'Bytes', value: [0, 255] },
    });
    // and a box a wasmCloud host sealed (serde_json of HashMap<String, SecretValue>) opens here
    const theirs = [
      ...host.seal(new TextEncoder().encode('{"pw":{"kind":"String","value":"x"}}'), provider.getPublicKey()),
    ];
    const l = decodeWireLinkDefinition(JSON.stringify({ ...link, source_secrets: theirs }));
    expect(openLinkSecrets(provider, host.getPublicKey(), l).source_secrets).toEqual({
      pw: { tag: 'string', val: 'x' },
    });
  });
});
