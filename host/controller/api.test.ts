import type { NatsConnection } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { WadmClient, wadmSubject } from '../../lattice/apps/index.ts';
import type { StoredApp } from '../../lattice/apps/index.ts';
import type { AppStorePort } from './api.ts';
import { handleApi } from './api.ts';

class MemoryAppStore implements AppStorePort {
  readonly apps = new Map<string, StoredApp>();
  get(name: string) {
    return Promise.resolve(structuredClone(this.apps.get(name)));
  }
  put(app: StoredApp) {
    this.apps.set(app.name, structuredClone(app));
    return Promise.resolve();
  }
  delete(name: string) {
    this.apps.delete(name);
    return Promise.resolve();
  }
  list() {
    return Promise.resolve([...this.apps.values()].map((a) => structuredClone(a)));
  }
}

/** A WadmClient whose requests are served by handleApi, as the controller's subscription does. */
function wired(reply?: (subject: string) => unknown) {
  const store = new MemoryAppStore();
  let kicks = 0;
  const prefix = wadmSubject.api('unit', '');
  const nc = {
    async request(subject: string, body: string) {
      const data = new TextEncoder().encode(body);
      const [op = '', ...rest] = subject.slice(prefix.length).split('.');
      const r =
        reply?.(subject) ??
        (await handleApi(store, op, rest.join('.') || undefined, { data, string: () => body }, () => void kicks++));
      return { data: new TextEncoder().encode(typeof r === 'string' ? r : JSON.stringify(r)) };
    },
  } as unknown as NatsConnection;
  return { wadm: new WadmClient(nc, { lattice: 'unit' }), store, kicks: () => kicks };
}

const yaml = (version: string, name = 'shop') => `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: ${name}, annotations: { version: ${version}, description: a shop } }
spec:
  components:
    - name: web
      type: component
      properties: { image: 'file:///web.wasm' }
      traits: [{ type: spreadscaler, properties: { instances: 1 } }]
`;

describe('wadm API and client', () => {
  it('put/list/get/versions - stores versions; the latest is listed and got', async () => {
    const { wadm } = wired();
    expect(await wadm.put(yaml('v1'))).toMatchObject({ result: 'created', current_version: 'v1', total_versions: 1 });
    expect(await wadm.put(yaml('v2'))).toMatchObject({ result: 'newversion', total_versions: 2 });
    expect(await wadm.list()).toMatchObject([
      { name: 'shop', version: 'v2', description: 'a shop', status: 'undeployed' },
    ]);
    expect(
      ((await wadm.get('shop')).manifest as { metadata: { annotations: { version: string } } }).metadata.annotations
        .version,
    ).toBe('v2');
    expect((await wadm.get('shop', 'v1')).result).toBe('success');
    expect((await wadm.versions('shop')).versions.map((v) => v.version)).toEqual(['v1', 'v2']);
  });

  it('put - an invalid manifest or a version stored already is LAT_REFUSED with the reason', async () => {
    const { wadm } = wired();
    await expect(wadm.put('kind: Nope')).rejects.toMatchObject({ code: 'LAT_REFUSED' });
    await wadm.put(yaml('v1'));
    await expect(wadm.put(yaml('v1'))).rejects.toMatchObject({
      code: 'LAT_REFUSED',
      message: expect.stringContaining('already exists') as unknown,
    });
  });

  it('deploy/status/undeploy - deploy picks the latest (or the version named) and kicks the reconciler', async () => {
    const { wadm, store, kicks } = wired();
    await wadm.put(yaml('v1'));
    await wadm.put(yaml('v2'));
    expect(await wadm.deploy('shop', 'v1')).toMatchObject({ result: 'acknowledged', version: 'v1' });
    expect(store.apps.get('shop')?.deployed_version).toBe('v1');
    expect((await wadm.status('shop')).status).toMatchObject({ version: 'v1', status: { type: 'reconciling' } });
    await wadm.undeploy('shop');
    expect((await wadm.status('shop')).status).toMatchObject({ version: '', status: { type: 'undeployed' } });
    expect(kicks()).toBe(2);
  });

  it('deploy - an unknown version is LAT_REFUSED; a body that is not {"version"} is refused, not thrown', async () => {
    const { wadm, store } = wired();
    await wadm.put(yaml('v1'));
    await expect(wadm.deploy('shop', 'v9')).rejects.toMatchObject({ code: 'LAT_REFUSED' });
    for (const body of ['{', '[1]', '{"version": 3}'])
      expect(
        await handleApi(
          store,
          'deploy',
          'shop',
          { data: new TextEncoder().encode(body), string: () => body },
          () => undefined,
        ),
      ).toMatchObject({ result: 'error' });
  });

  it('an unknown application is LAT_NOT_FOUND; delete of one is a noop, not an error', async () => {
    const { wadm } = wired();
    for (const call of [
      () => wadm.get('none'),
      () => wadm.status('none'),
      () => wadm.deploy('none'),
      () => wadm.undeploy('none'),
      () => wadm.versions('none'),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'LAT_NOT_FOUND' });
    expect(await wadm.delete('none')).toMatchObject({ result: 'noop' });
  });

  it('delete - removes every version and says whether it was deployed', async () => {
    const { wadm } = wired();
    await wadm.put(yaml('v1'));
    await wadm.deploy('shop');
    expect(await wadm.delete('shop')).toMatchObject({ result: 'deleted', undeploy: true });
    expect(await wadm.list()).toEqual([]);
  });

  it('a reply that is not a wadm reply is LAT_BAD_PAYLOAD; an unknown op is refused', async () => {
    const { wadm } = wired(() => '[1,2]');
    await expect(wadm.list()).rejects.toMatchObject({ code: 'LAT_BAD_PAYLOAD' });
    const { wadm: junk } = wired(() => 'not json');
    await expect(junk.list()).rejects.toMatchObject({ code: 'LAT_BAD_PAYLOAD' });
    expect(
      await handleApi(
        new MemoryAppStore(),
        'explode',
        undefined,
        { data: new Uint8Array(), string: () => '' },
        () => undefined,
      ),
    ).toMatchObject({ result: 'error' });
  });

  it('an application name that is not one subject token is refused before anything is sent (LAT_BAD_REQUEST)', async () => {
    const { wadm } = wired(() => {
      throw new Error('sent');
    });
    await expect(wadm.get('a.b')).rejects.toMatchObject({ code: 'LAT_BAD_REQUEST' });
  });
});
