/**
 * Every example actor on both engines: the same sources built for QuickJS and StarlingMonkey (each actor once per
 * engine: its fixture, else a build cached by build key) run on one host per engine, through the public surfaces
 * (HTTP via the http-server provider, NATS messaging, lattice calls).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtlClient, connectNats, freePort, invokeComponent } from '../../lattice/index.ts';
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
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
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
    for (const p of ['http-server', 'keyvalue-nats', 'messaging-nats'])
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
      () => ctl.nc.request(`${lattice}.echo.hi`, 'héllo 🌍', { timeout: 2000 }).catch(() => undefined),
      15_000,
    );
    expect(reply.string()).toBe('héllo 🌍');
  });

  it('greeter-caller → greeter, plain WIT imports and exports; config-logger reads wasi:config', async () => {
    await check(() => host.links.lookup('greeter-caller', 'default', 'weft:actors/greeter') !== undefined);
    expect(await invokeComponent(ctl.nc, lattice, 'greeter-caller', 'call-greeter', ['ann'])).toBe(
      'hello, ann! (via greeter-caller)',
    );
    expect(await invokeComponent(ctl.nc, lattice, 'config-logger', 'describe', [])).toBe('greeting=hi; keys=greeting');
  });

  it('http-fetch - builds and routes (usage answer without ?url=)', async () => {
    const r = await get('http-fetch', '/');
    expect(r.status).toBe(400);
    expect(await r.text()).toMatch(/usage/);
  });
});
