import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import {
  NatsServer,
  actorRef,
  assertScaleComponent,
  assertStartProvider,
  check,
  latticeFor,
  startRedis,
  startTestHost,
  testCtl,
  linkOf,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
const refs: Record<string, string> = {};
beforeAll(async () => {
  ns = await NatsServer.start();
  for (const a of ['http-hello', 'kv-counter']) refs[a] = await actorRef(a);
}, 180_000);
afterAll(async () => {
  await ns?.stop();
});

describe('providers', () => {
  it('http-server - serves a JS hello actor linked to it, routes by path, unlinks cleanly', async () => {
    const lattice = latticeFor('http');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    await assertStartProvider(ctl, host.id, 'weft+builtin://http-server', 'http');
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: refs['http-hello']!,
      component_id: 'hello',
      count: 4,
    });
    const port = await freePort();
    await ctl.putConfig('http-cfg', { address: `127.0.0.1:${port}` });
    await ctl.putLink(linkOf('http', 'hello', 'wasi:http', ['incoming-handler'], { source_config: ['http-cfg'] }));
    const res = await check(() => fetch(`http://127.0.0.1:${port}/anything`).catch(() => undefined), 10_000);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello from weft\n');
    // every request gets a fresh or reset instance: the actor's request counter is always 1
    const served = (p: number) =>
      Promise.all(
        Array.from({ length: 20 }, () =>
          fetch(`http://127.0.0.1:${p}/x`).then((r) => `${r.status} ${r.headers.get('x-served-by-instance')}`),
        ),
      );
    expect(new Set(await served(port))).toEqual(new Set(['200 1']));
    expect((await ctl.getHostInventory(host.id)).providers).toEqual([
      expect.objectContaining({ id: 'http', image_ref: 'weft+builtin://http-server' }),
    ]);
    await ctl.deleteLink({ source_id: 'http', wit_namespace: 'wasi', wit_package: 'http', name: 'default' });
    await check(
      async () =>
        await fetch(`http://127.0.0.1:${port}/`).then(
          () => false,
          () => true,
        ),
      10_000,
    );
    await host.stop();
  });

  it('keyvalue-nats - the KV counter counts 1, 2, 3 over HTTP, and 4 after a host restart (state is in the store)', async () => {
    const lattice = latticeFor('kvc');
    const port = await freePort();
    const bucket = `counters_${lattice}`;
    const setup = async () => {
      const host = await startTestHost(ns.url, { lattice });
      const ctl = await testCtl(ns.url, lattice);
      await assertStartProvider(ctl, host.id, 'weft+builtin://http-server', 'http');
      await assertStartProvider(ctl, host.id, 'weft+builtin://keyvalue-nats', 'kv');
      await assertScaleComponent(ctl, {
        host_id: host.id,
        component_ref: refs['kv-counter']!,
        component_id: 'counter',
        count: 4,
      });
      return { host, ctl };
    };
    const first = await setup();
    await first.ctl.putConfig('http-cfg', { address: `127.0.0.1:${port}` });
    await first.ctl.putConfig('kv-cfg', { bucket });
    await first.ctl.putLink(
      linkOf('http', 'counter', 'wasi:http', ['incoming-handler'], { source_config: ['http-cfg'] }),
    );
    await first.ctl.putLink(
      linkOf('counter', 'kv', 'wasi:keyvalue', ['store', 'atomics'], { target_config: ['kv-cfg'] }),
    );
    const get = async () => {
      const r = await check(() => fetch(`http://127.0.0.1:${port}/counter/visits`).catch(() => undefined), 10_000);
      return `${r.status} ${(await r.text()).trim()}`;
    };
    expect([await get(), await get(), await get()]).toEqual(['200 1', '200 2', '200 3']);
    await first.host.stop();
    await first.ctl[Symbol.asyncDispose]();
    const second = await setup(); // links and config are in the lattice's KV; the counter is in the bucket
    expect(await get()).toBe('200 4');
    const missing = await fetch(`http://127.0.0.1:${port}/nope`);
    expect(missing.status).toBe(404);
    await second.host.stop();
    await second.ctl[Symbol.asyncDispose]();
  }, 60_000); // two host starts, four instances each: slow on a loaded 2-core machine
});

describe('providers: redis and switching', () => {
  it('keyvalue-redis - the KV counter counts in Redis, and the link switches from NATS KV to Redis without restarting the component', async () => {
    await using redis = await startRedis();
    const lattice = latticeFor('kvr');
    const port = await freePort();
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    await assertStartProvider(ctl, host.id, 'weft+builtin://http-server', 'http');
    await assertStartProvider(ctl, host.id, 'weft+builtin://keyvalue-nats', 'kv');
    await assertStartProvider(ctl, host.id, 'weft+builtin://keyvalue-redis', 'redis');
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: refs['kv-counter']!,
      component_id: 'counter',
      count: 2,
    });
    await ctl.putConfig('http-cfg', { address: `127.0.0.1:${port}` });
    await ctl.putConfig('kv-cfg', { bucket: `b_${lattice}` });
    await ctl.putConfig('redis-cfg', { URL: redis.url });
    await ctl.putLink(linkOf('http', 'counter', 'wasi:http', ['incoming-handler'], { source_config: ['http-cfg'] }));
    await ctl.putLink(linkOf('counter', 'kv', 'wasi:keyvalue', ['store', 'atomics'], { target_config: ['kv-cfg'] }));
    const get = async () =>
      (
        await (await check(() => fetch(`http://127.0.0.1:${port}/counter/c`).catch(() => undefined), 10_000)).text()
      ).trim();
    expect([await get(), await get()]).toEqual(['1', '2']);
    // switch: delete the NATS link, put the Redis one; the component keeps running (same instance count, revision)
    await ctl.deleteLink({ source_id: 'counter', wit_namespace: 'wasi', wit_package: 'keyvalue', name: 'default' });
    await ctl.putLink(
      linkOf('counter', 'redis', 'wasi:keyvalue', ['store', 'atomics'], { target_config: ['redis-cfg'] }),
    );
    await check(() => host.links.lookup('counter', 'default', 'wasi:keyvalue/atomics')?.target === 'redis');
    expect([await get(), await get(), await get()]).toEqual(['1', '2', '3']);
    const { Redis } = await import('ioredis');
    const r = new Redis(redis.url);
    expect(await r.get(`weftkv:${lattice}:counter:default:default:c`)).toBe('3'); // the link's namespace: lattice, component, link name, identifier
    await r.quit();
    expect((await ctl.getHostInventory(host.id)).components[0]).toMatchObject({ id: 'counter', revision: 0 });
    await host.stop();
  });
});
