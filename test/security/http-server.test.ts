/**
 * The in-host http-server, served in the guest workers (SO_REUSEPORT listeners), against hostile clients and guests:
 * malformed requests, huge headers and bodies, slowloris headers and slow bodies, a guest that traps or loops while
 * other routes keep serving, and admission (503 with retry-after) under a burst. Real host on a real nats-server.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import type { Host } from '../../host/index.ts';
import { httpHelloWatComponent } from '../fixtures/wat/build-http-hello.ts';
import { httpMisbehavingComponent } from '../fixtures/wat/build-http-misbehave.ts';
import {
  NatsServer,
  actorRef,
  assertScaleComponent,
  assertStartProvider,
  check,
  latticeFor,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
let dir: string;
let host: Host;
let ctl: Awaited<ReturnType<typeof testCtl>>;
let base: string;
let port: number;
/** A second listener with short request and header timeouts. */
let slowPort: number;

/** Sends `parts` on a raw connection, `gapMs` apart, and gives everything the server wrote until it closed. */
function raw(parts: string[], gapMs = 0, to = port): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(to, '127.0.0.1');
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('error', () => resolve(got));
    s.on('close', () => resolve(got));
    s.on('connect', () => {
      void (async () => {
        for (const p of parts) {
          if (s.destroyed) return;
          s.write(p);
          if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
        }
      })().catch(reject);
    });
  });
}

const hello = (): Promise<string> => fetch(`${base}/hello/x`).then(async (r) => `${r.status} ${await r.text()}`);
const helloMany = (n: number): Promise<string[]> => Promise.all(Array.from({ length: n }, hello));

beforeAll(async () => {
  ns = await NatsServer.start();
  dir = await mkdtemp(join(tmpdir(), 'weft-http-hostile-'));
  const lattice = latticeFor('httphostile');
  host = await startTestHost(ns.url, { lattice, runtime: { workers: 2, maxExecutionTimeMs: 3000 } });
  ctl = await testCtl(ns.url, lattice);
  await assertStartProvider(ctl, host.id, 'weft+builtin://http-server', 'http');
  for (const [id, bytes, count] of [
    ['hello', await httpHelloWatComponent(), 64],
    ['trap', await httpMisbehavingComponent('trap'), 4],
    ['spin', await httpMisbehavingComponent('spin'), 1],
    ['fetcher', undefined, 2],
  ] as const) {
    if (!bytes) {
      await assertScaleComponent(ctl, {
        host_id: host.id,
        component_ref: await actorRef('http-fetch'),
        component_id: id,
        count,
      });
      continue;
    }
    await writeFile(join(dir, `${id}.wasm`), bytes);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: `file://${join(dir, `${id}.wasm`)}`,
      component_id: id,
      count,
    });
  }
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  slowPort = await freePort();
  // 2 s: a normal client is served well within it on a loaded machine; the slow ones below take 3 s and 4 s
  const slow = { address: `127.0.0.1:${slowPort}`, headers_timeout_ms: '2000', request_timeout_ms: '2000' };
  for (const [id, name, cfg] of [
    ['hello', 'hello', { path: '/hello', max_body_bytes: '4096' }],
    ['spin', 'spin', { path: '/spin', timeout_ms: '400' }],
    ['trap', 'trap', { path: '/trap' }],
    ['fetcher', 'slow-fetcher', { ...slow, path: '/count' }],
    ['fetcher', 'fetcher', { path: '/count', timeout_ms: '2500' }],
    ['hello', 'slow-hello', { ...slow, path: '/hello' }],
  ] as const) {
    await ctl.putConfig(`cfg-${name}`, { address: `127.0.0.1:${port}`, ...cfg });
    await ctl.putLink({
      source_id: 'http',
      target: id,
      name,
      wit_namespace: 'wasi',
      wit_package: 'http',
      interfaces: ['incoming-handler'],
      source_config: [`cfg-${name}`],
      target_config: [],
    });
  }
  // every route is in place (each link reaches the workers on its own; spin's was put before trap's)
  for (const url of [`${base}/hello`, `${base}/trap`, `http://127.0.0.1:${slowPort}/hello`])
    await check(
      () =>
        fetch(url).then(
          (r) => r.status !== 404,
          () => false,
        ),
      10_000,
    );
}, 120_000);
afterAll(async () => {
  await host?.stop();
  await ctl?.[Symbol.asyncDispose]();
  await ns?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('security: the in-host http-server in the guest workers', () => {
  it('malformed requests, a bad Host, huge headers and a huge declared body are refused; the server keeps serving', async () => {
    expect(await raw(['GARBAGE / NOT-HTTP\r\n\r\n'])).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(['GET /hello HTTP/1.1\r\nHost: a@b\r\nconnection: close\r\n\r\n'])).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw([`GET /hello HTTP/1.1\r\nHost: x\r\nx-big: ${'a'.repeat(64 * 1024)}\r\n\r\n`])).toMatch(
      /^HTTP\/1\.1 431/,
    );
    expect(await raw(['POST /hello HTTP/1.1\r\nHost: x\r\ncontent-length: 1000000000\r\n\r\n'])).toMatch(
      /^HTTP\/1\.1 413/,
    );
    expect(await raw(['GET /nowhere HTTP/1.1\r\nHost: x\r\nconnection: close\r\n\r\n'])).toMatch(/^HTTP\/1\.1 404/);
    expect(new Set(await helloMany(20))).toEqual(new Set(['200 hello from weft\n']));
  });

  it('slowloris headers and a slow body get 408 while other clients are served', async () => {
    const slowHeaders = raw(
      ['GET /hello HTTP/1.1\r\n', ...Array.from({ length: 30 }, (_, i) => `x-${i}: y\r\n`)],
      100,
      slowPort,
    );
    // the guest reads this body (it counts it): the client takes 4 s to send it
    const slowBody = raw(
      ['POST /count HTTP/1.1\r\nHost: x\r\ncontent-length: 40\r\n\r\n', ...Array<string>(40).fill('a')],
      100,
      slowPort,
    );
    const others = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`http://127.0.0.1:${slowPort}/hello`).then(async (r) => `${r.status} ${await r.text()}`),
      ),
    );
    expect(new Set(others)).toEqual(new Set(['200 hello from weft\n']));
    expect(await slowHeaders).toMatch(/^HTTP\/1\.1 408/);
    expect(await slowBody).toMatch(/^HTTP\/1\.1 408/);
  });

  it('a trapping guest answers 500 and a looping one 504, while requests to another route all succeed', async () => {
    const trapped = fetch(`${base}/trap`).then((r) => r.status);
    const spinning = fetch(`${base}/spin`).then((r) => r.status);
    const others = helloMany(30);
    expect(await trapped).toBe(500);
    expect(new Set(await others)).toEqual(new Set(['200 hello from weft\n']));
    expect(await spinning).toBe(504);
    // the stopped guest's worker serves on
    expect(new Set(await helloMany(20))).toEqual(new Set(['200 hello from weft\n']));
    expect(await fetch(`${base}/trap`).then((r) => r.status)).toBe(500);
  });

  it('a burst past max_instances and its wait queue is shed at once with 503 and retry-after', async () => {
    // fetcher runs 2 instances (count 2) and queues 16 (22 of 40 shed at once when they arrive within its 2.5 s
    // timeout_ms, when its calls are stopped and the instances free again); each call
    // waits for a request body that never ends
    const abort = new AbortController();
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        fetch(`${base}/count`, {
          method: 'POST',
          body: new ReadableStream({ start: (c) => c.enqueue(new Uint8Array(16)) }),
          duplex: 'half',
          signal: abort.signal,
        } as RequestInit).then((r) => `${r.status} ${r.headers.get('retry-after') ?? ''}`.trim()),
      ),
    );
    abort.abort();
    expect(answers.filter((a) => a === '503 1').length).toBeGreaterThanOrEqual(1);
    // the others ran or waited until the link's timeout_ms
    expect(answers.filter((a) => a !== '503 1' && a !== '504')).toEqual([]);
    expect(new Set(await helloMany(10))).toEqual(new Set(['200 hello from weft\n']));
  });
});
