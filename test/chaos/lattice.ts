/** A chaos lattice: 3-node NATS cluster, 3 host processes, the KV counter and HTTP hello apps deployed by manifest. */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats, CtlClient, freePort } from '../../lattice/index.ts';
import { Controller } from '../../host/controller/index.ts';
import { createLogger } from '../../host/index.ts';
import {
  actorRef,
  check,
  jetStreamReady,
  spawnCli,
  startNatsCluster,
  wadmApi,
  waitForOutput,
} from '../helpers/index.ts';
import type { NatsCluster } from '../helpers/index.ts';

export interface ChaosHost {
  child: ChildProcess;
  id: string;
  index: number;
  killedOnPurpose: boolean;
}

export interface ChaosLattice {
  cluster: NatsCluster;
  lattice: string;
  nc: NatsConnection;
  ctl: CtlClient;
  controller: Controller;
  hosts: ChaosHost[];
  home: string;
  bucket: string;
  /** The hello app's HTTP address: every host's http-server shares it (SO_REUSEPORT). */
  helloUrl: string;
  startHost(index: number): Promise<ChaosHost>;
  appStatus(): Promise<string>;
  stop(): Promise<void>;
}

/** The external keyvalue-nats provider (its own process on every host, so the suite can kill it). */
export const EXTERNAL_KV = fileURLToPath(new URL('../../capabilities/keyvalue-nats/main.ts', import.meta.url));

const manifest = (ref: string, bucket: string): string => `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: counter, annotations: { version: v1 } }
spec:
  components:
    - name: counter
      type: component
      properties: { image: '${ref}', id: counter }
      traits:
        - type: spreadscaler
          properties: { instances: 12 }
        - type: link
          properties:
            namespace: wasi
            package: keyvalue
            interfaces: [store, atomics]
            target: { name: kv, config: [{ name: chaos-kv, properties: { bucket: ${bucket} } }] }
    - name: kv
      type: capability
      properties: { image: 'file://${EXTERNAL_KV}', id: kv }
      traits:
        - type: daemonscaler
          properties: { instances: 1 }
`;

/** The HTTP hello app: the JS hello actor behind an http-server on every host, all on one port (reuse_port). */
const helloManifest = (ref: string, port: number): string => `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: hello, annotations: { version: v1 } }
spec:
  components:
    - name: hello
      type: component
      properties: { image: '${ref}', id: hello }
      traits:
        - type: spreadscaler
          properties: { instances: 12 }
    - name: httpserver
      type: capability
      properties: { image: weft+builtin://http-server, id: httpserver }
      traits:
        - type: daemonscaler
          properties: { instances: 1 }
        - type: link
          properties:
            namespace: wasi
            package: http
            interfaces: [incoming-handler]
            target: { name: hello }
            source: { config: [{ name: chaos-http, properties: { address: '127.0.0.1:${port}', reuse_port: 'true' } }] }
`;

export async function startChaosLattice(heartbeatSec = 1): Promise<ChaosLattice> {
  const cluster = await startNatsCluster(3);
  const lattice = `chaos_${process.pid}_${Date.now() % 100000}`;
  const nc = await connectNats({ url: cluster.url, persistent: true });
  await jetStreamReady(nc, `ready_${lattice}`);
  const home = await mkdtemp(join(tmpdir(), 'weft-chaos-'));
  const bucket = `chaos_${lattice}`;
  const ref = await actorRef('kv-counter');
  const startHost = async (index: number): Promise<ChaosHost> => {
    const child = spawnCli(
      [
        'up',
        '--nats-url',
        cluster.url,
        '--lattice',
        lattice,
        '-l',
        `slot=${index}`,
        '--allow-file-load',
        '--allow-provider-dir',
        dirname(EXTERNAL_KV),
        '--allow-unsigned',
        '--heartbeat-interval',
        String(heartbeatSec),
        '--no-controller',
        '--js-replicas',
        '3',
        '--log-level',
        'warn',
        '--max-execution-time-ms',
        '5000',
        '-o',
        'json',
      ],
      { WEFT_HOME: join(home, `h${index}-${Date.now()}`) },
    );
    const log = createWriteStream(join(home, `host-${index}.log`), { flags: 'a' });
    child.stderr?.pipe(log);
    const out = await waitForOutput(child, (o) => o.includes('"host_id"'), 30_000);
    return { child, index, id: (JSON.parse(out) as { host_id: string }).host_id, killedOnPurpose: false };
  };
  const hosts = await Promise.all([0, 1, 2].map(startHost));
  const ctl = new CtlClient(nc, { lattice, timeoutMs: 5000 });
  const controller = await Controller.start({
    nc,
    lattice,
    logger: createLogger('error'),
    heartbeatIntervalSec: heartbeatSec,
    missedHeartbeats: 2,
    reconcileMs: 300,
    replicas: 3,
  });
  const api = wadmApi(nc, lattice);
  const port = await freePort();
  await api('put', undefined, manifest(ref, bucket));
  await api('put', undefined, helloManifest(await actorRef('http-hello'), port));
  await api('deploy', 'counter');
  await api('deploy', 'hello');
  const statusOf = async (app: string): Promise<string> =>
    (await api('status', app).catch(() => ({ status: undefined }))).status?.status.type ?? 'unknown';
  // both applications count: the lattice has recovered when each is deployed again
  const appStatus = async (): Promise<string> => {
    const [a, b] = [await statusOf('counter'), await statusOf('hello')];
    return a === 'deployed' && b === 'deployed' ? 'deployed' : `counter ${a}, hello ${b}`;
  };
  await check(async () => (await appStatus()) === 'deployed', 120_000, 200);
  const helloUrl = `http://127.0.0.1:${port}/`;
  await check(
    () =>
      fetch(helloUrl)
        .then((r) => r.ok)
        .catch(() => false),
    30_000,
    200,
  );
  return {
    cluster,
    lattice,
    nc,
    ctl,
    controller,
    hosts,
    home,
    bucket,
    helloUrl,
    startHost,
    appStatus,
    stop: async () => {
      await controller.stop();
      for (const h of hosts) if (h.child.exitCode === null) h.child.kill('SIGKILL');
      await nc.close();
      await cluster.stop();
    },
  };
}
