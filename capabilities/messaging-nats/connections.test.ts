import type { NatsConnection } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { ConnectionPool, configValue, natsTargetOf, parseCreds, targetKey } from './connections.ts';
import type { NatsTarget } from './connections.ts';

const HOST = { url: 'nats://lattice:4222', seed: 'SUHOSTSEED', jwt: 'host.jwt' };
const CREDS = `-----BEGIN NATS USER JWT-----
eyJ0eXAiOiJKV1QifQ.payload.sig
------END NATS USER JWT------

************************* IMPORTANT *************************
NKEY Seed printed below can be used to sign and prove identity.

-----BEGIN USER NKEY SEED-----
SUAPPSEED
------END USER NKEY SEED------
`;

describe('configValue', () => {
  it('finds a key whatever its case and treats blank values as absent', () => {
    expect(configValue({ CLUSTER_URIS: 'a' }, 'cluster_uris')).toBe('a');
    expect(configValue({ Cluster_Uris: ' b ' }, 'cluster_uris')).toBe('b');
    expect(configValue({ cluster_uris: '  ' }, 'cluster_uris')).toBeUndefined();
    expect(configValue({}, 'cluster_uris')).toBeUndefined();
  });
});

describe('parseCreds', () => {
  it('reads the JWT and the seed of a .creds file', () => {
    expect(parseCreds(CREDS)).toEqual({ jwt: 'eyJ0eXAiOiJKV1QifQ.payload.sig', seed: 'SUAPPSEED' });
    expect(parseCreds(CREDS.replaceAll('\n', '\r\n'))).toEqual({
      jwt: 'eyJ0eXAiOiJKV1QifQ.payload.sig',
      seed: 'SUAPPSEED',
    });
  });
  it('refuses anything else, without echoing it', () => {
    expect(() => parseCreds('SUSECRET')).toThrow(/not the text of a .creds file/);
    expect(() => parseCreds('SUSECRET')).not.toThrow(/SUSECRET/);
  });
});

describe('natsTargetOf', () => {
  it('defaults to the lattice NATS with the credentials the host was given', () => {
    expect(natsTargetOf({}, {}, HOST)).toEqual({
      servers: ['nats://lattice:4222'],
      jwt: 'host.jwt',
      seed: 'SUHOSTSEED',
    });
    expect(natsTargetOf({}, {}, { url: ['nats://a:1', 'nats://b:2'], credsFile: '/etc/host.creds' })).toEqual({
      servers: ['nats://a:1', 'nats://b:2'],
      credsFile: '/etc/host.creds',
    });
  });

  it('takes cluster_uris and credentials from the link over the provider config', () => {
    expect(
      natsTargetOf(
        { CLUSTER_URIS: 'nats://x:1, nats://y:2', CLIENT_SEED: 'SULINK' },
        { cluster_uris: 'nats://p:1', client_seed: 'SUPROV' },
        HOST,
      ),
    ).toEqual({
      servers: ['nats://x:1', 'nats://y:2'],
      seed: 'SULINK',
    });
    expect(natsTargetOf({}, { cluster_uris: 'nats://p:1', client_jwt: 'j', client_seed: 'SUPROV' }, HOST)).toEqual({
      servers: ['nats://p:1'],
      jwt: 'j',
      seed: 'SUPROV',
    });
    expect(natsTargetOf({ client_creds: CREDS }, {}, HOST)).toEqual({
      servers: ['nats://lattice:4222'],
      jwt: 'eyJ0eXAiOiJKV1QifQ.payload.sig',
      seed: 'SUAPPSEED',
    });
  });

  it('never sends the host credentials to servers that config names', () => {
    expect(natsTargetOf({ cluster_uris: 'nats://elsewhere:4222' }, {}, HOST)).toEqual({
      servers: ['nats://elsewhere:4222'],
    });
  });

  it('fails clearly with nothing to connect to or unreadable creds', () => {
    expect(() => natsTargetOf({}, {}, undefined)).toThrow(/set cluster_uris/);
    expect(() => natsTargetOf({ client_creds: 'nope' }, {}, HOST)).toThrow(/creds/);
  });

  it('keys targets by servers (any order) and credentials, without the secret in the key', () => {
    const a = targetKey({ servers: ['nats://a', 'nats://b'], seed: 'SUSECRET' });
    expect(a).toBe(targetKey({ servers: ['nats://b', 'nats://a'], seed: 'SUSECRET' }));
    expect(a).not.toBe(targetKey({ servers: ['nats://a', 'nats://b'], seed: 'SUOTHER' }));
    expect(a).not.toContain('SUSECRET');
  });
});

describe('ConnectionPool', () => {
  function setup() {
    const opened: { target: NatsTarget; closed: boolean }[] = [];
    let fail = false;
    const pool = new ConnectionPool(async (target) => {
      if (fail) throw new Error('unreachable');
      const c = { target, closed: false };
      opened.push(c);
      return { close: async () => void (c.closed = true) } as unknown as NatsConnection;
    });
    return { pool, opened, failNext: (v: boolean) => (fail = v) };
  }
  const T1 = { servers: ['nats://a'] };
  const T2 = { servers: ['nats://b'], seed: 'SU2' };
  const settle = () => new Promise((r) => setImmediate(r));

  it('shares one connection per target and closes it when its last user lets go', async () => {
    const { pool, opened } = setup();
    const [c1, c2] = await Promise.all([pool.acquire('l1', T1), pool.acquire('l2', T1)]);
    expect(c1).toBe(c2);
    expect(opened).toHaveLength(1);
    pool.release('l1');
    await settle();
    expect(opened[0]!.closed).toBe(false);
    pool.release('l2');
    await settle();
    expect(opened[0]!.closed).toBe(true);
    expect(pool.size).toBe(0);
  });

  it('moves a user whose config changed to the new target and closes the old one', async () => {
    const { pool, opened } = setup();
    await pool.acquire('l1', T1);
    await pool.acquire('l1', T1);
    expect(opened).toHaveLength(1);
    await pool.acquire('l1', T2);
    await settle();
    expect(opened.map((o) => o.closed)).toEqual([true, false]);
    expect(pool.size).toBe(1);
  });

  it('forgets a failed connect so the next use tries again', async () => {
    const { pool, opened, failNext } = setup();
    failNext(true);
    await expect(pool.acquire('l1', T1)).rejects.toThrow(/unreachable/);
    await settle();
    expect(pool.size).toBe(0);
    failNext(false);
    await pool.acquire('l1', T1);
    expect(opened).toHaveLength(1);
  });

  it('closes everything on closeAll', async () => {
    const { pool, opened } = setup();
    await pool.acquire('l1', T1);
    await pool.acquire('l2', T2);
    await pool.closeAll();
    expect(opened.every((o) => o.closed)).toBe(true);
    expect(pool.size).toBe(0);
    pool.release('l1'); // harmless afterwards
  });
});
