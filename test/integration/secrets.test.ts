/**
 * Secrets on a real nats-server: the built-in backend (`SecretsBackend`, JetStream KV sealed at rest) and a second,
 * tiny backend written here (any process that speaks wasmCloud's protocol serves a host). A signed WAT component reads
 * its secrets through `wasmcloud:secrets/store` + `reveal`; the policy refuses other components with a coded error;
 * a rotated value reaches a restarted component; an unreachable backend fails the start and a later scale succeeds.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { headers } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from '../../lattice/index.ts';
import type { CloudEvent, RunningNatsServer } from '../../lattice/index.ts';
import {
  decodeSecretRequest,
  encodeSecretReference,
  newXkey,
  openFrom,
  putSecret,
  sealTo,
  secretsSubject,
  DEFAULT_SECRETS_TOPIC,
  HOST_XKEY_HEADER,
  RESPONSE_XKEY_HEADER,
} from '../../lattice/secrets/index.ts';
import { generateKey, signComponent } from '../../lattice/wascap/index.ts';
import type { Host } from '../../host/index.ts';
import { SecretsBackend } from '../../host/secrets/index.ts';
import { secretsProbeComponent } from '../fixtures/wat/build-secrets-probe.ts';
import {
  EventRecorder,
  NatsServer,
  captureLogger,
  check,
  latticeFor,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

const lattice = latticeFor('secrets');
const PLANTED = 'pl4nted-S3CRET-value-7f3a';
const t = { topic: DEFAULT_SECRETS_TOPIC, backend: 'weft' };
let ns: RunningNatsServer;
let nc: NatsConnection;
let backend: SecretsBackend;
let host: Host;
let ctl: Awaited<ReturnType<typeof testCtl>>;
let probe: Uint8Array;
let dir: string;
const issuer = generateKey('account');
const refs = new Map<string, string>();
const backendLog = captureLogger('debug');
const hostLog = captureLogger('debug');

/** A signed copy of the probe for component `id` (each its own subject key, so its own artifact). */
async function refOf(id: string): Promise<string> {
  let ref = refs.get(id);
  if (!ref) {
    const signed = signComponent(probe, {
      issuer,
      subject: generateKey('component'),
      name: id,
      caps: ['wasmcloud:secrets'],
    });
    await writeFile(join(dir, `${id}.wasm`), signed.bytes);
    refs.set(id, (ref = `file://${join(dir, `${id}.wasm`)}`));
  }
  return ref;
}

/** Scales `id` with `config` and returns the outcome event. */
async function scale(id: string, config: string[], count = 1): Promise<CloudEvent> {
  const ref = await refOf(id);
  const rec = await EventRecorder.start(ctl);
  try {
    await ctl.scaleComponent({ host_id: host.id, component_ref: ref, component_id: id, count, config });
    return await check(
      () => rec.events.find((e) => /component_scale(d|_failed)$/.test(e.type) && e.data['component_id'] === id),
      30_000,
    );
  } finally {
    rec.stop();
  }
}
const read = (id: string, key: string): Promise<string> => ctl.invoke(id, 'read', [key]) as Promise<string>;

/** A tiny second backend: answers `server_xkey` and `get` with one fixed secret for any valid sealed request. */
function tinyBackend(c: NatsConnection, name: string, value: string): () => void {
  const kp = newXkey();
  const sub = c.subscribe(secretsSubject.all(DEFAULT_SECRETS_TOPIC, name), {
    callback: (_e, m) => {
      if (m.subject.endsWith('.server_xkey')) return void m.respond(kp.getPublicKey());
      const sender = m.headers?.get(HOST_XKEY_HEADER) ?? '';
      const req = decodeSecretRequest(openFrom(kp, m.data, sender));
      const h = headers();
      h.set(RESPONSE_XKEY_HEADER, kp.getPublicKey());
      const secret = { version: '9', string_secret: `${value}:${req.key}` };
      m.respond(sealTo(kp, JSON.stringify({ secret }), sender), { headers: h });
    },
  });
  return () => sub.unsubscribe();
}

beforeAll(async () => {
  ns = await NatsServer.start();
  nc = await connectNats({ url: ns.url });
  backend = await SecretsBackend.start({
    nc,
    topic: t.topic,
    backend: t.backend,
    xkey: newXkey(),
    logger: backendLog.logger,
  });
  host = await startTestHost(ns.url, { lattice, allowUnsigned: false, logger: hostLog.logger });
  ctl = await testCtl(ns.url, lattice);
  probe = await secretsProbeComponent();
  dir = await mkdtemp(join(tmpdir(), 'weft-secrets-probe-'));
  await putSecret(nc, t, { name: 'db-pass', value: PLANTED, allow: ['component:reader', 'component:rotator'] });
  const policy = JSON.stringify({ type: 'properties.secret.wasmcloud.dev/v1alpha1', properties: {} });
  await ctl.putConfig('SECRET_db', encodeSecretReference({ name: 'db', backend: 'weft', key: 'db-pass', policy }));
  await ctl.putConfig('SECRET_gone', encodeSecretReference({ name: 'gone', backend: 'nobody', key: 'x', policy }));
}, 60_000);

afterAll(async () => {
  await ctl?.[Symbol.asyncDispose]();
  await host?.stop();
  await backend?.stop();
  await nc?.close();
  await ns?.stop();
});

describe('secrets through wasmcloud:secrets', () => {
  it('a component the policy allows reads its secret; other names are not its secrets', async () => {
    expect((await scale('reader', ['SECRET_db'])).type).toMatch(/component_scaled$/);
    expect(await read('reader', 'db')).toBe(`str:${PLANTED}`);
    expect(await read('reader', 'db-pass')).toMatch(/^err:upstream:.*not one of this component's secrets/);
  });

  it('a component the policy does not allow is refused with SECRET_DENIED, logged without the value', async () => {
    const e = await scale('intruder', ['SECRET_db']);
    expect(e.type).toMatch(/component_scale_failed$/);
    expect(String(e.data['error'])).toContain('SECRET_DENIED');
    const denial = backendLog.lines.find((l) => l['msg'] === 'secret request denied');
    expect(denial).toMatchObject({ secret: 'db-pass', entity_id: 'intruder', entity_kind: 'component', host: host.id });
    expect(JSON.stringify(backendLog.lines)).not.toContain(PLANTED);
  });

  it('a rotated secret reaches the component when it restarts', async () => {
    const first = await scale('rotator', ['SECRET_db']);
    expect(first.data['error']).toBeUndefined();
    expect(await read('rotator', 'db')).toBe(`str:${PLANTED}`);
    expect(
      await putSecret(nc, t, {
        name: 'db-pass',
        value: `${PLANTED}-v2`,
        allow: ['component:reader', 'component:rotator'],
      }),
    ).toBe('2');
    await scale('rotator', ['SECRET_db'], 0);
    await scale('rotator', ['SECRET_db']);
    expect(await read('rotator', 'db')).toBe(`str:${PLANTED}-v2`);
  });

  it('an unreachable backend fails the start with SECRET_UNREACHABLE, and a retry succeeds once it answers', async () => {
    const e = await scale('late', ['SECRET_gone']);
    expect(e.type).toMatch(/component_scale_failed$/);
    expect(String(e.data['error'])).toMatch(/SECRET_UNREACHABLE.*nobody/);
    const stop = tinyBackend(nc, 'nobody', 'from-tiny');
    try {
      const again = await scale('late', ['SECRET_gone']);
      expect(again.data['error']).toBeUndefined();
      expect(await read('late', 'gone')).toBe('str:from-tiny:x'); // served by the second backend, not the built-in one
    } finally {
      stop();
    }
  });

  it('the KV bucket holds no plaintext, and no host log line or event carries the value', async () => {
    const kv = await new Kvm(jetstream(nc)).open('weft_secrets_weft');
    const e = await kv.get('db-pass');
    const raw = new TextDecoder().decode(e!.value);
    expect(raw).toContain('"versions"');
    expect(raw).not.toContain(PLANTED);
    expect(Buffer.from(e!.value).includes(Buffer.from(PLANTED))).toBe(false);
    expect(JSON.stringify(hostLog.lines)).not.toContain(PLANTED);
    expect(JSON.stringify(await ctl.getConfig('SECRET_db'))).not.toContain(PLANTED);
  });
});
