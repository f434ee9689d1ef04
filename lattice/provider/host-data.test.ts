import { describe, expect, it } from 'vitest';
import { decodeHostData, encodeHostData, MAX_HOST_DATA_LINE } from './host-data.ts';
import type { HostData } from './host-data.ts';

const SEED = 'SUAM7QXZ5KEXAMPLESEEDDONOTLEAKSECRETVALUE1234567890ABCDEFG';
const hd = (extra: Partial<HostData> = {}): HostData => ({
  host_id: 'NHOST',
  lattice_rpc_prefix: 'default',
  lattice_rpc_url: 'nats://127.0.0.1:4222',
  lattice_rpc_user_seed: SEED,
  provider_key: 'kv',
  instance_id: '0b8f6c2e-1d2a-4e5b-9c3d-7a6b5c4d3e2f',
  link_name: 'default',
  config: { URL: 'redis://x' },
  link_definitions: [
    {
      source_id: 'counter',
      target: 'kv',
      name: 'default',
      wit_namespace: 'wasi',
      wit_package: 'keyvalue',
      interfaces: ['store'],
      source_config: [],
      target_config: ['c'],
      source_config_values: {},
      target_config_values: { bucket: 'b' },
    },
  ],
  default_rpc_timeout_ms: 2000,
  log_level: 'info',
  ...extra,
});
const line = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64');
const refusal = (l: string): { code?: string; message: string } => {
  try {
    decodeHostData(l);
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('decoded');
};

describe('HostData codec', () => {
  it('round trip - one base64 line ending in CRLF (wasmCloud), decoded to the same value, optional fields kept', () => {
    const d = hd({ env_values: { A: 'b' }, cluster_issuers: ['CISSUER'], structured_logging: true });
    const l = encodeHostData(d);
    expect(l.endsWith('\r\n')).toBe(true);
    expect(l.trim()).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(decodeHostData(l)).toEqual(d);
  });

  it("secrets - the provider's own, as wasmCloud's map of SecretValue ({kind, value}), always on the wire", () => {
    const secrets = { pw: { tag: 'string', val: SEED }, raw: { tag: 'bytes', val: Uint8Array.of(7, 0) } } as const;
    const l = encodeHostData(hd({ secrets }));
    const wire = JSON.parse(Buffer.from(l.trim(), 'base64').toString()) as Record<string, unknown>;
    expect(wire['secrets']).toEqual({ pw: { kind: 'String', value: SEED }, raw: { kind: 'Bytes', value: [7, 0] } });
    expect(decodeHostData(l).secrets).toEqual(secrets);
    const none = JSON.parse(Buffer.from(encodeHostData(hd()).trim(), 'base64').toString()) as Record<string, unknown>;
    expect(none['secrets']).toEqual({}); // as wasmCloud's host always sends it
    expect(decodeHostData(encodeHostData(hd()))).not.toHaveProperty('secrets');
    expect(decodeHostData(line({ ...hd(), secrets: null }))).not.toHaveProperty('secrets');
  });

  it('defaults - link_name, timeout and log level filled; empty credentials and null optionals dropped', () => {
    const { link_name: _n, default_rpc_timeout_ms: _t, log_level: _l, ...rest } = hd();
    const d = decodeHostData(
      line({ ...rest, lattice_rpc_user_seed: '', lattice_rpc_user_jwt: null, env_values: null }),
    );
    expect(d).toMatchObject({ link_name: 'default', default_rpc_timeout_ms: 2000, log_level: 'info' });
    expect(d).not.toHaveProperty('lattice_rpc_user_seed');
    expect(d).not.toHaveProperty('lattice_rpc_user_jwt');
    expect(d).not.toHaveProperty('env_values');
  });

  it.each([
    ['not base64', 'not base64!'],
    ['base64 of no JSON', Buffer.from(`{"seed":"${SEED}"`).toString('base64')],
    ['a JSON list', line([1])],
    ['a JSON string', line('x')],
    ['no host_id', line({ ...hd(), host_id: undefined })],
    ['a host id with a wildcard', line({ ...hd(), host_id: 'a.*' })],
    ['a provider key with a separator', line({ ...hd(), provider_key: 'kv.>' })],
    ['no instance id', line({ ...hd(), instance_id: undefined })],
    ['a lattice that is not a subject token', line({ ...hd(), lattice_rpc_prefix: 'a b' })],
    ['an empty url', line({ ...hd(), lattice_rpc_url: '' })],
    ['a numeric seed', line({ ...hd(), lattice_rpc_user_seed: 7 })],
    ['config values that are not strings', line({ ...hd(), config: { a: 1 } })],
    ['links that are not a list', line({ ...hd(), link_definitions: {} })],
    [
      'a link without interfaces',
      line({ ...hd(), link_definitions: [{ ...hd().link_definitions[0], interfaces: [] }] }),
    ],
    [
      'a link with a wildcard source',
      line({ ...hd(), link_definitions: [{ ...hd().link_definitions[0], source_id: '*' }] }),
    ],
    ['a negative timeout', line({ ...hd(), default_rpc_timeout_ms: -1 })],
    ['a timeout of an hour', line({ ...hd(), default_rpc_timeout_ms: 3_600_000 })],
    ['structured_logging as a string', line({ ...hd(), structured_logging: 'yes' })],
    ['cluster issuers of numbers', line({ ...hd(), cluster_issuers: [1] })],
    ['secrets as a list', line({ ...hd(), secrets: [SEED] })],
    ['a secret in serde external tagging', line({ ...hd(), secrets: { pw: { String: SEED } } })],
    ['a secret of a bare string', line({ ...hd(), secrets: { pw: SEED } })],
    ['a secret with bytes past 255', line({ ...hd(), secrets: { pw: { kind: 'Bytes', value: [1, 999] } } })],
    ['a secret with an extra field', line({ ...hd(), secrets: { pw: { kind: 'String', value: SEED, x: 1 } } })],
    [
      'more than 64 secrets',
      line({
        ...hd(),
        secrets: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`s${i}`, { kind: 'String', value: SEED }])),
      }),
    ],
  ])('hostile - %s is LAT_BAD_PAYLOAD naming the field, never quoting the seed', (_what, l) => {
    const e = refusal(l);
    expect(e.code).toBe('LAT_BAD_PAYLOAD');
    expect(e.message).toMatch(/HostData|link/);
    expect(e.message).not.toContain(SEED);
    expect(e.message).not.toContain(SEED.slice(0, 12));
  });

  it('hostile - a line past the limit is refused before it is decoded; a __proto__ key changes no prototype', () => {
    expect(refusal('A'.repeat(MAX_HOST_DATA_LINE + 4)).message).toMatch(/longer than/);
    const withProto = (v: string): string =>
      Buffer.from(JSON.stringify(hd()).replace('"config":{', `"config":{"__proto__":${v},`)).toString('base64');
    expect(refusal(withProto('{"polluted":"yes"}')).message).toMatch(/config.__proto__/);
    const d = decodeHostData(withProto('"x"'));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(d.config)).toBe(Object.prototype);
  });
});
