/**
 * Hostile input to the built-in secrets backend on a real nats-server: junk on every subject it serves, unsealed and
 * tampered requests, requests sealed with the wrong key, forged JWTs, a replayed (valid, public) entity JWT with a
 * forged host JWT, junk records planted in its bucket, and management calls that try to name reserved keys. Each
 * gets a coded error reply or is dropped; none reveals a value, and the backend keeps serving an allowed request.
 */
import { headers } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import {
  createHostIdentity,
  DEFAULT_SECRETS_TOPIC,
  HOST_XKEY_HEADER,
  newXkey,
  putSecret,
  sealTo,
  SecretsClient,
  secretsSubject,
  signEntityJwt,
} from '../../lattice/secrets/index.ts';
import type { SecretRequest } from '../../lattice/secrets/index.ts';
import { generateKey } from '../../lattice/wascap/index.ts';
import { SecretsBackend } from '../../host/secrets/index.ts';
import { NatsServer, captureLogger } from '../helpers/index.ts';

const VALUE = 'h0stile-test-VALUE-55aa';
const T = { topic: DEFAULT_SECRETS_TOPIC, backend: 'weft' };
let ns: RunningNatsServer;
let nc: NatsConnection;
let backend: SecretsBackend;
const log = captureLogger('debug');
const host = createHostIdentity(generateKey('host').getPublicKey(), 'h');
const entity = signEntityJwt({ sub: generateKey('component').getPublicKey(), wascap: {} }, generateKey('account'));
const request = (over: Partial<SecretRequest['context']> = {}): SecretRequest => ({
  key: 'k',
  context: {
    entity_jwt: entity,
    host_jwt: host.hostJwt,
    application: { policy: '' },
    entity_id: 'ok',
    entity_kind: 'component',
    ...over,
  },
});
const raw = async (subject: string, data: Uint8Array | string, h?: ReturnType<typeof headers>): Promise<string> =>
  new TextDecoder().decode((await nc.request(subject, data, { timeout: 2000, headers: h })).data);

beforeAll(async () => {
  ns = await NatsServer.start();
  nc = await connectNats({ url: ns.url });
  backend = await SecretsBackend.start({ nc, ...T, xkey: newXkey(), logger: log.logger });
  await putSecret(nc, T, { name: 'k', value: VALUE, allow: ['component:ok'] });
});
afterAll(async () => {
  await backend?.stop();
  await nc?.close();
  await ns?.stop();
});

describe('hostile input to the secrets backend', () => {
  it('junk on every subject gets an error reply, never a value', async () => {
    for (const op of ['get', 'put_secret', 'list_secrets', 'delete_secret', 'nope'])
      for (const junk of ['', '{', 'null', '[]', '\u0000\u00ff', 'x'.repeat(100_000)]) {
        const r = await raw(`${DEFAULT_SECRETS_TOPIC}.v1alpha1.weft.${op}`, junk);
        expect(r).not.toContain(VALUE);
        if (op !== 'list_secrets') expect(r).toMatch(/error/);
      }
  });

  it('an unsealed, tampered or wrongly sealed get is refused', async () => {
    const subject = secretsSubject.get(T.topic, T.backend);
    const mine = newXkey();
    const h = headers();
    h.set(HOST_XKEY_HEADER, mine.getPublicKey());
    expect(await raw(subject, JSON.stringify(request()), h)).toBe('{"error":"DecryptionError"}');
    const sealed = sealTo(mine, JSON.stringify(request()), backend.publicXkey);
    sealed[sealed.length - 1] = sealed[sealed.length - 1]! ^ 1;
    expect(await raw(subject, sealed, h)).toBe('{"error":"DecryptionError"}');
    expect(await raw(subject, sealTo(mine, JSON.stringify(request()), newXkey().getPublicKey()), h)).toBe(
      '{"error":"DecryptionError"}',
    );
    expect(await raw(subject, sealTo(mine, JSON.stringify(request()), backend.publicXkey))).toBe(
      '{"error":"InvalidHeaders"}',
    );
    const junkHeader = headers();
    junkHeader.set(HOST_XKEY_HEADER, 'X-not-a-key');
    expect(await raw(subject, sealed, junkHeader)).toBe('{"error":"DecryptionError"}');
    expect(await raw(subject, sealTo(mine, '{"key":5}', backend.publicXkey), h)).toMatch(/InvalidRequest/);
  });

  it('forged JWTs and a lying entity id are denied with a coded error', async () => {
    const client = new SecretsClient(nc, { topic: T.topic });
    const [a, b] = entity.split('.');
    for (const ctx of [
      { entity_jwt: `${a}.${b}.AAAA` },
      { host_jwt: entity },
      { host_jwt: signEntityJwt({ sub: 'NNOTAHOST', wascap: {} }, generateKey('account')) },
      { entity_id: 'someone-else' },
      { entity_kind: 'provider' as const },
    ])
      await expect(client.get('weft', request(ctx))).rejects.toMatchObject({ code: 'SECRET_DENIED' });
    expect((await client.get('weft', request())).val).toBe(VALUE); // still serving
    expect(JSON.stringify(log.lines)).not.toContain(VALUE);
  });

  it('junk records in the bucket are dropped, reserved names cannot be put', async () => {
    const kv = await new Kvm(jetstream(nc)).open('weft_secrets_weft');
    await kv.put('junk', '{"name":"junk","allow":["x"],"versions":[]}');
    await expect(new SecretsClient(nc, { topic: T.topic }).get('weft', request({}))).resolves.toBeDefined();
    await expect(putSecret(nc, T, { name: '__weft_xkey', value: 'x', allow: ['component:ok'] })).rejects.toMatchObject({
      code: 'SECRET_BACKEND',
    });
    await expect(putSecret(nc, T, { name: 'a*b', value: 'x', allow: ['component:ok'] })).rejects.toMatchObject({
      code: 'SECRET_BACKEND',
    });
    await expect(putSecret(nc, T, { name: 'ok2', value: 'x', allow: ['root'] })).rejects.toMatchObject({
      code: 'SECRET_BACKEND',
    });
    const r = await raw(secretsSubject.list(T.topic, T.backend), '{}');
    expect(r).not.toContain(VALUE);
    expect(r).not.toContain('junk'); // not a valid record: dropped
  });
});
