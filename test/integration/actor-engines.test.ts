/**
 * Every example actor on both engines: the same sources built for QuickJS and StarlingMonkey (each actor once per
 * engine: its fixture, else a build cached by build key) run on one host per engine, through the public surfaces
 * (HTTP via the http-server provider, NATS messaging, lattice calls).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtlClient, connectNats, freePort } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { ENGINES } from '../../host/cli/toolchain/index.ts';
import type { Engine } from '../../host/cli/toolchain/index.ts';
import {
  NatsServer,
  assertScaleComponent,
  assertStartProvider,
  check,
  latticeFor,
  startTestHost,
  linkOf,
} from '../helpers/index.ts';
import { actorRef } from '../helpers/actors.ts';
import { upstream } from './http-upstream.ts';

const ACTORS = [
  'http-hello',
  'kv-counter',
  'messaging-echo',
  'greeter',
  'greeter-caller',
  'config-logger',
  'http-fetch',
];

let ns: RunningNatsServer;
let up: Awaited<ReturnType<typeof upstream>>;
let off: Awaited<ReturnType<typeof upstream>>;
beforeAll(async () => {
  ns = await NatsServer.start();
  up = await upstream();
  off = await upstream();
});
afterAll(async () => {
  for (const u of [up, off]) {
    u?.server.closeAllConnections();
    u?.server.close();
  }
  await ns?.stop();
});

describe.each(ENGINES)('example actors on %s', (engine: Engine) => {
  const lattice = latticeFor(`eng${engine.slice(0, 2)}`);
  let host: Awaited<ReturnType<typeof startTestHost>>;
  let nc: Awaited<ReturnType<typeof connectNats>>;
  let ctl: CtlClient;
  const port: Record<string, number> = {};

  beforeAll(async () => {
    const refs: Record<string, string> = {};
    for (const a of ACTORS) refs[a] = await actorRef(a, engine); // built (or fixtures read) before any host runs
    host = await startTestHost(ns.url, { lattice });
    nc = await connectNats({ url: ns.url });
    ctl = new CtlClient(nc, { lattice, timeoutMs: 60_000 }); // 12 MB StarlingMonkey components take a while to admit on a busy machine
    for (const p of ['http-server', 'http-client', 'keyvalue-nats', 'messaging-nats'])
      await assertStartProvider(ctl, host.id, `weft+builtin://${p}`, p);
    await ctl.putConfig('cl-cfg', { greeting: 'hi' });
    for (const a of ACTORS)
      await assertScaleComponent(ctl, {
        host_id: host.id,
        component_ref: refs[a]!,
        component_id: a,
        count: 2,
        ...(a === 'config-logger' ? { config: ['cl-cfg'] } : {}),
      });
    for (const a of ['http-hello', 'kv-counter', 'http-fetch']) {
      port[a] = await freePort();
      await ctl.putConfig(`${a}-http`, { address: `127.0.0.1:${port[a]}` });
      await ctl.putLink(
        linkOf('http-server', a, 'wasi:http', ['incoming-handler'], { source_config: [`${a}-http`], name: a }),
      );
    }
    await ctl.putConfig('kv-cfg', { bucket: `engines_${engine}_${process.pid}` });
    await ctl.putLink(
      linkOf('kv-counter', 'keyvalue-nats', 'wasi:keyvalue', ['store', 'atomics'], { target_config: ['kv-cfg'] }),
    );
    await ctl.putConfig('sub-cfg', { SUBSCRIPTIONS: `${lattice}.echo.>` });
    await ctl.putLink(
      linkOf('messaging-nats', 'messaging-echo', 'wasmcloud:messaging', ['handler'], { source_config: ['sub-cfg'] }),
    );
    await ctl.putLink(linkOf('messaging-echo', 'messaging-nats', 'wasmcloud:messaging', ['consumer']));
    await ctl.putLink(linkOf('greeter-caller', 'greeter', 'weft:actors', ['greeter']));
    await ctl.putConfig('fetch-out', { allowed_hosts: `127.0.0.1:${up.port}` });
    await ctl.putLink(
      linkOf('http-fetch', 'http-client', 'wasi:http', ['outgoing-handler'], { target_config: ['fetch-out'] }),
    );
  }, 600_000);
  afterAll(async () => {
    await host?.stop();
    await nc?.close();
  });

  const get = (actor: string, path: string): Promise<Response> =>
    check(() => fetch(`http://127.0.0.1:${port[actor]}${path}`).catch(() => undefined), 15_000);

  it('http-hello - export default { fetch } answers, one request per instance', async () => {
    const r = await get('http-hello', '/');
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('hello from weft\n');
    expect(r.headers.get('x-served-by-instance')).toBe('1');
  });

  it('kv-counter (TypeScript) - counts in NATS KV, 404 off its route', async () => {
    await check(() => host.links.lookup('kv-counter', 'default', 'wasi:keyvalue/store') !== undefined);
    expect(await (await get('kv-counter', '/counter/a')).text()).toBe('1\n');
    expect(await (await get('kv-counter', '/counter/a')).text()).toBe('2\n');
    const miss = await get('kv-counter', '/nope');
    expect(miss.status).toBe(404);
    expect(await miss.text()).toMatch(/try GET/);
  });

  it('messaging-echo - export function handleMessage replies with the body', async () => {
    const reply = await check(
      () => nc.request(`${lattice}.echo.hi`, 'héllo 🌍', { timeout: 2000 }).catch(() => undefined),
      15_000,
    );
    expect(reply.string()).toBe('héllo 🌍');
  });

  it('greeter-caller → greeter, plain WIT imports and exports; config-logger reads wasi:config', async () => {
    await check(() => host.links.lookup('greeter-caller', 'default', 'weft:actors/greeter') !== undefined);
    expect(await ctl.invoke('greeter-caller', 'call-greeter', ['ann'])).toBe('hello, ann! (via greeter-caller)');
    expect(await ctl.invoke('config-logger', 'describe', [])).toBe('greeting=hi; keys=greeting');
  });

  it('http-fetch - fetch() through wasi:http/outgoing-handler: GET, POST with a body, a denied host; usage without ?url=', async () => {
    const r = await get('http-fetch', '/');
    expect(r.status).toBe(400);
    expect(await r.text()).toMatch(/usage/);
    await check(() => host.links.lookup('http-fetch', 'default', 'wasi:http/outgoing-handler') !== undefined);
    const via = (url: string, init?: RequestInit): Promise<Response> =>
      fetch(`http://127.0.0.1:${port['http-fetch']}/?url=${encodeURIComponent(url)}`, init);
    const ok = await via(`http://127.0.0.1:${up.port}/hello?x=1`);
    expect([ok.status, await ok.text()]).toEqual([200, 'GET /hello?x=1 weft-http-fetch ']);
    const post = await via(`http://127.0.0.1:${up.port}/echo`, { method: 'POST', body: 'payload 🌍' });
    expect([post.status, await post.text()]).toEqual([200, 'POST /echo weft-http-fetch payload 🌍']);
    const missing = await via(`http://127.0.0.1:${up.port}/missing`);
    expect([missing.status, missing.headers.get('x-upstream-status')]).toEqual([404, '404']);
    // not on allowed_hosts: fetch() rejects (HTTP-request-denied) and nothing reaches that host
    const denied = await via(`http://127.0.0.1:${off.port}/secret`);
    expect([denied.status, await denied.text()]).toEqual([502, expect.stringMatching(/fetch failed/)]);
    expect(off.hits).toEqual([]);
  });
});
