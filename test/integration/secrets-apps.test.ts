/**
 * A wadm manifest with secrets deploys: `spec.policies` names the built-in backend
 * (`policy.secret.wasmcloud.dev/v1alpha1`), the component lists `secrets:`, the controller puts the reference config
 * and scales the component with it, and the component reads the value through `wasmcloud:secrets`.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { DEFAULT_SECRETS_TOPIC, putSecret } from '../../lattice/secrets/index.ts';
import { generateKey, signComponent } from '../../lattice/wascap/index.ts';
import { createLogger } from '../../host/index.ts';
import type { Host } from '../../host/index.ts';
import { Controller } from '../../host/controller/index.ts';
import type { SecretsBackend } from '../../host/secrets/index.ts';
import { secretsProbeComponent } from '../fixtures/wat/build-secrets-probe.ts';
import {
  NatsServer,
  check,
  latticeFor,
  startTestHost,
  testCtl,
  wadmApi,
  rawNatsOf,
  startTestSecretsBackend,
} from '../helpers/index.ts';

const lattice = latticeFor('secretsapps');
let ns: RunningNatsServer;
let nc: NatsConnection;
let backend: SecretsBackend;
let host: Host;
let ctrl: Controller;
let ctl: Awaited<ReturnType<typeof testCtl>>;
let ref: string;

const manifest = (policy = 'store') => `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: shop, annotations: { version: v1 } }
spec:
  policies:
    - name: store
      type: policy.secret.wasmcloud.dev/v1alpha1
      properties: { backend: weft }
  components:
    - name: api
      type: component
      properties:
        image: ${ref}
        id: api
        secrets:
          - name: db
            properties: { policy: ${policy}, key: shop-db }
      traits:
        - type: spreadscaler
          properties: { instances: 1 }
`;

beforeAll(async () => {
  ns = await NatsServer.start();
  nc = await connectNats({ url: ns.url });
  backend = await startTestSecretsBackend(nc, createLogger('warn'));
  host = await startTestHost(ns.url, { lattice, heartbeatIntervalSec: 0.5 });
  ctl = await testCtl(ns.url, lattice);
  ctrl = await Controller.start({
    nc: rawNatsOf(ctl),
    lattice,
    logger: createLogger('warn'),
    heartbeatIntervalSec: 0.5,
    missedHeartbeats: 2,
    reconcileMs: 300,
  });
  const signed = signComponent(await secretsProbeComponent(), {
    issuer: generateKey('account'),
    subject: generateKey('component'),
    name: 'api',
    caps: ['wasmcloud:secrets'],
  });
  const dir = await mkdtemp(join(tmpdir(), 'weft-secrets-app-'));
  await writeFile(join(dir, 'api.wasm'), signed.bytes);
  ref = `file://${join(dir, 'api.wasm')}`;
  await putSecret(
    nc,
    { topic: DEFAULT_SECRETS_TOPIC, backend: 'weft' },
    { name: 'shop-db', value: 'app-secret-1', allow: ['component:api'] },
  );
}, 60_000);

afterAll(async () => {
  await ctrl?.stop();
  await ctl?.[Symbol.asyncDispose]();
  await host?.stop();
  await backend?.stop();
  await nc?.close();
  await ns?.stop();
});

describe('manifests with secrets', () => {
  it('a secret naming a missing policy is refused at put', async () => {
    const r = (await wadmApi(rawNatsOf(ctl), lattice)('put', undefined, manifest('nope'))) as {
      result: string;
      message: string;
    };
    expect(r.result).toBe('error');
    expect(r.message).toMatch(/secrets\[0\]\.properties\.policy/);
  });

  it('deploys: the reference config is put, the component starts with it and reads the secret', async () => {
    const api = wadmApi(rawNatsOf(ctl), lattice);
    expect(await api('put', undefined, manifest())).toMatchObject({ result: 'created' });
    expect(await api('deploy', 'shop')).toMatchObject({ result: 'acknowledged' });
    await check(() => host.components?.has('api') || undefined, 30_000);
    expect(await ctl.getConfig('SECRET_shop_api_db')).toMatchObject({ name: 'db', backend: 'weft', key: 'shop-db' });
    expect(await ctl.invoke('api', 'read', ['db'])).toBe('str:app-secret-1');
  });
});
