/**
 * Hosts pulling from registries with credentials: a private registry whose credentials come over ctl
 * (`registry.put`), and plain HTTP only to allowed registries. Real docker-registry and nats-server.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciClient, pushWasm } from '../../lattice/oci/index.ts';
import { ctlSubject } from '../../lattice/index.ts';
import {
  assertScaleComponent,
  captureLogger,
  check,
  NatsServer,
  latticeFor,
  scaleAndWait,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';
import { fixture } from '../helpers/fixtures.ts';
import { REGISTRY_TEST_PASSWORD, REGISTRY_TEST_USER, startRegistry } from '../helpers/registry.ts';
import type { RunningRegistry } from '../helpers/registry.ts';

const creds = { username: REGISTRY_TEST_USER, password: REGISTRY_TEST_PASSWORD };
let adder: Uint8Array;
let anon: RunningRegistry;

beforeAll(async () => {
  adder = new Uint8Array(await readFile(fixture('adder.component.wasm')));
  anon = await startRegistry();
});
afterAll(async () => {
  await anon?.stop();
});
describe('a host pulls from a private registry with credentials given over ctl', () => {
  it('without credentials the scale fails with OCI_UNAUTHORIZED naming the ref; after registry.put it runs; no reply or log line holds the password', async () => {
    await using reg = await startRegistry({ auth: 'basic' });
    await using ns = await NatsServer.start();
    const lattice = latticeFor('ocipriv');
    const { logger, lines } = captureLogger('debug');
    const host = await startTestHost(ns.url, { lattice, logger });
    try {
      await using ctl = await testCtl(ns.url, lattice);
      const put = (hostId: string, body: unknown) =>
        ctl.requestRaw(ctlSubject.registryPut(lattice, hostId), typeof body === 'string' ? body : JSON.stringify(body));
      const scale = (id: string) =>
        scaleAndWait(ctl, { host_id: host.id, component_ref: ref, component_id: id, count: 1 });
      const ref = `${reg.host}/weft/private-adder:0.1.0`;
      await pushWasm(new OciClient({ credentials: () => creds }), ref, adder);
      const denied = await scale('oci-private');
      expect(denied.type).toMatch(/component_scale_failed$/);
      expect(String(denied.data['error'])).toMatch(
        /^\[OCI_UNAUTHORIZED\] 127\.0\.0\.1:\d+\/weft\/private-adder:0\.1\.0/,
      );
      const malformed = await put(
        host.id,
        `{"${reg.host}": {"username": "${REGISTRY_TEST_USER}", "password": "${REGISTRY_TEST_PASSWORD}"`,
      );
      expect(malformed).toMatchObject({
        success: false,
        message: expect.stringMatching(/LAT_BAD_PAYLOAD|malformed JSON/),
      });
      const wrong = await put(host.id, { [reg.host]: { ...creds, registryType: 7 } });
      expect(wrong.success).toBe(false);
      await expect(put('NOTTHISHOST', { [reg.host]: creds })).rejects.toMatchObject({ code: 'LAT_TIMEOUT' }); // another host's: silent, stores nothing
      expect((await scale('oci-private')).type).toMatch(/component_scale_failed$/);
      const reply = await put(host.id, { [`https://${reg.host}/`]: { ...creds, registryType: 'oci' } });
      expect(reply).toMatchObject({ success: true, message: expect.stringContaining(reg.host) });
      await assertScaleComponent(ctl, { host_id: host.id, component_ref: ref, component_id: 'oci-private', count: 1 });
      expect(await ctl.invoke('oci-private', 'docs:adder/add.add', [40, 2])).toBe(42);
      // the typed client, broadcast (wasmCloud's publish without a reply): wrong ones replace them
      await ctl.putRegistryCredentials(undefined, {
        [reg.host]: { username: REGISTRY_TEST_USER, password: 'wrong-password' },
      });
      await check(() => host.opts.registryCredentials.get(reg.host)?.password === 'wrong-password');
      expect((await scale('oci-private-2')).type).toMatch(/component_scale_failed$/);
      await ctl.putRegistryCredentials(host.id, { [reg.host]: creds });
      await assertScaleComponent(ctl, {
        host_id: host.id,
        component_ref: ref,
        component_id: 'oci-private-2',
        count: 1,
      });

      const logged = lines.map((l) => JSON.stringify(l)).join('\n');
      expect(logged).toContain('registry credentials set');
      for (const secret of [REGISTRY_TEST_PASSWORD, 'wrong-password'])
        expect(`${logged} ${JSON.stringify([malformed, wrong, reply])}`).not.toContain(secret);
    } finally {
      await host.stop();
    }
  });
});

describe('a host reaches a plain-HTTP registry only when allowed', () => {
  it('127.1:PORT (not a name the loopback rule knows) is refused over HTTP by default and pulled with allowInsecureRegistries', async () => {
    await using ns = await NatsServer.start();
    const ref = `127.1:${anon.port}/weft/insecure-adder:1`;
    await pushWasm(new OciClient(), `${anon.host}/weft/insecure-adder:1`, adder);
    for (const allowed of [false, true]) {
      const lattice = latticeFor('ociinsecure');
      const host = await startTestHost(ns.url, {
        lattice,
        ...(allowed ? { allowInsecureRegistries: [`127.1:${anon.port}`] } : {}),
      });
      try {
        await using ctl = await testCtl(ns.url, lattice);
        const e = await scaleAndWait(ctl, {
          host_id: host.id,
          component_ref: ref,
          component_id: 'oci-insecure',
          count: 1,
        });
        if (allowed) expect(e.type, String(e.data['error'])).toMatch(/component_scaled$/);
        else expect(String(e.data['error'])).toMatch(/\[OCI_UNREACHABLE\] 127\.1:.*SSL/); // tried HTTPS
      } finally {
        await host.stop();
      }
    }
  });
});
