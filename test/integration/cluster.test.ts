import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectNats, CtlClient, freePort, invokeComponent } from '../../lattice/index.ts';
import { Controller } from '../../host/controller/index.ts';
import { createLogger } from '../../host/index.ts';
import {
  actorRef,
  check,
  fixtureRef,
  jetStreamReady,
  latticeFor,
  spawnCli,
  startNatsCluster,
  wadmApi,
  waitForOutput,
} from '../helpers/index.ts';

const webApp = (ref: string, port: number) => `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: web, annotations: { version: v1 } }
spec:
  components:
    - name: hello
      type: component
      properties: { image: '${ref}', id: hello }
      traits:
        - type: spreadscaler
          properties: { instances: 3 }
    - name: http
      type: capability
      properties: { image: 'weft+builtin://http-server', id: http }
      traits:
        - type: spreadscaler
          properties: { instances: 1, spread: [{ name: edge, requirements: { zone: west } }] }
        - type: link
          properties:
            namespace: wasi
            package: http
            interfaces: [incoming-handler]
            target: { name: hello }
            source: { config: [{ name: web-http, properties: { address: '127.0.0.1:${port}' } }] }
`;

const manifest = (ref: string) => `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: adders, annotations: { version: v1 } }
spec:
  components:
    - name: adder
      type: component
      properties: { image: '${ref}', id: adder }
      traits:
        - type: spreadscaler
          properties:
            instances: 6
            spread:
              - { name: east, requirements: { zone: east }, weight: 2 }
              - { name: west, requirements: { zone: west }, weight: 1 }
`;

describe('across nodes', () => {
  it('cluster - 3 host processes on a 3-node NATS cluster: weights hold, kill -9 of a host and the loss of a NATS node are survived', async () => {
    await using cluster = await startNatsCluster(3);
    const lattice = latticeFor('cluster');
    const nc = await connectNats({ url: cluster.url, persistent: true });
    // JetStream on a fresh cluster needs a meta leader before replicated buckets can be made
    await jetStreamReady(nc, `ready_${lattice}`);
    const home = await mkdtemp(join(tmpdir(), 'weft-cluster-'));
    const hosts = await Promise.all(
      ['east', 'east', 'west'].map(async (zone, i) => {
        const child = spawnCli(
          [
            'up',
            '--nats-url',
            cluster.url,
            '--lattice',
            lattice,
            '-l',
            `zone=${zone}`,
            '--allow-file-load',
            '--allow-unsigned',
            '--heartbeat-interval',
            '1',
            '--no-controller',
            '--js-replicas',
            '3',
            '--log-level',
            'warn',
            '-o',
            'json',
          ],
          { WEFT_HOME: join(home, `h${i}`) },
        );
        const out = await waitForOutput(child, (o) => o.includes('"host_id"'), 30_000);
        return { child, zone, id: (JSON.parse(out) as { host_id: string }).host_id };
      }),
    );
    const ctl = new CtlClient(nc, { lattice, timeoutMs: 5000 });
    const ctrl = await Controller.start({
      nc,
      lattice,
      logger: createLogger('warn'),
      heartbeatIntervalSec: 1,
      missedHeartbeats: 2,
      reconcileMs: 300,
      replicas: 3,
    });
    const api = wadmApi(nc, lattice);
    const deployed = async () => (await api('status', 'adders')).status?.status.type === 'deployed';
    const count = async (hostId: string) =>
      (await ctl.getHostInventory(hostId).catch(() => undefined))?.components.find((c) => c.id === 'adder')
        ?.max_instances ?? 0;
    try {
      await ctl.putConfig('keep-me', { k: 'v' });
      await ctl.putLink({
        source_id: 'adder',
        target: 'other',
        name: 'default',
        wit_namespace: 'x',
        wit_package: 'y',
        interfaces: ['z'],
        source_config: ['keep-me'],
        target_config: [],
      });
      await api('put', undefined, manifest(fixtureRef('adder.component.wasm')));
      await api('deploy', 'adders');
      const port = await freePort();
      await api('put', undefined, webApp(await actorRef('http-hello'), port));
      await api('deploy', 'web');
      const http = async () =>
        (await fetch(`http://127.0.0.1:${port}/`).then(
          (r) => (r.status === 200 ? r.text() : undefined),
          () => undefined,
        )) === 'hello from weft\n';
      await check(deployed, 90_000, 100);
      await check(http, 60_000, 100);
      expect(await Promise.all(hosts.map((h) => count(h.id)))).toEqual([2, 2, 2]);
      expect(await invokeComponent(nc, lattice, 'adder', 'docs:adder/add.add', [2, 3])).toBe(5);

      // kill -9 an east host: its share moves to the other east host and the app is deployed again
      const t0 = Date.now();
      hosts[1]!.child.kill('SIGKILL');
      await check(async () => (await count(hosts[0]!.id)) === 4 && (await deployed()), 60_000, 100);
      expect(await invokeComponent(nc, lattice, 'adder', 'docs:adder/add.add', [20, 22])).toBe(42);
      const recovered = Date.now() - t0;
      await check(http, 30_000, 100); // the app's HTTP endpoint answers
      const httpBack = Date.now() - t0;

      // lose one NATS node: hosts reconnect to the others, nothing stored is lost
      const t1 = Date.now();
      await cluster.servers[0]!.stop();
      await check(async () => (await ctl.getHosts()).length === 2, 30_000, 100);
      const reconnected = Date.now() - t1;
      // JetStream re-elects the replicated buckets' leaders; once it has, everything stored is there
      await check(async () => (await ctl.getLinks()).some((l) => l.target === 'other'), 30_000, 250);
      const readable = Date.now() - t1;
      expect(await ctl.getConfig('keep-me')).toEqual({ k: 'v' });
      expect((await ctl.getLinks()).map((l) => l.target).sort()).toEqual(['hello', 'other']);
      expect((await api('get', 'adders'))['result']).toBe('success');
      expect(await http()).toBe(true);
      expect(await invokeComponent(nc, lattice, 'adder', 'docs:adder/add.add', [1, 1])).toBe(2);
      console.log(
        `cluster: app deployed again ${recovered} ms after kill -9 of a host (HTTP answering at ${httpBack} ms); hosts answering ${reconnected} ms and stored state readable ${readable} ms after a NATS node stopped`,
      );
    } finally {
      await ctrl.stop();
      for (const h of hosts) h.child.kill('SIGTERM');
      await nc.close();
    }
  }, 300_000);
});
