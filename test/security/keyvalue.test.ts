/**
 * Hostile `wasi:keyvalue` guests (audit C2, H5): a WAT component that opens any identifier it is told, run by a real
 * host on a real nats-server (JetStream) and a real redis-server. It tries the lattice's own buckets, another
 * component's store, globs and a bucket flood; each is refused or lands in its own per-link store, and nothing of
 * the lattice or of another component becomes readable or writable.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivedBucket } from '../../capabilities/sdk/index.ts';
import type { Link, RunningNatsServer } from '../../lattice/index.ts';
import type { Host } from '../../host/index.ts';
import { kvProbeComponent } from '../fixtures/wat/build-kv-probe.ts';
import {
  NatsServer,
  assertScaleComponent,
  assertStartProvider,
  check,
  latticeFor,
  startRedis,
  startTestHost,
  testCtl,
  rawNatsOf,
} from '../helpers/index.ts';
import type { RunningRedis } from '../helpers/index.ts';

let ns: RunningNatsServer;
let redis: RunningRedis;
let host: Host;
let ctl: Awaited<ReturnType<typeof testCtl>>;
const lattice = latticeFor('kvsec');
const CONFIGDATA = `CONFIGDATA_${lattice}`;
const LATTICEDATA = `LATTICEDATA_${lattice}`;

const kvLink = (source: string, target: string, target_config: string[] = []): Link => ({
  source_id: source,
  target,
  name: 'default',
  wit_namespace: 'wasi',
  wit_package: 'keyvalue',
  interfaces: ['store'],
  source_config: [],
  target_config,
});

/** Calls one of the probe's exports (`kv-open|get|set|list`) as component `id`. */
const probe = (id: string, op: 'open' | 'get' | 'set' | 'list', ...args: string[]): Promise<string> =>
  ctl.invoke(id, `kv-${op}`, args) as Promise<string>;

beforeAll(async () => {
  ns = await NatsServer.start();
  redis = await startRedis();
  host = await startTestHost(ns.url, { lattice });
  ctl = await testCtl(ns.url, lattice);
  const dir = await mkdtemp(join(tmpdir(), 'weft-kv-probe-'));
  await writeFile(join(dir, 'kv-probe.wasm'), await kvProbeComponent());
  const ref = `file://${join(dir, 'kv-probe.wasm')}`;
  await ctl.putConfig('small', { max_buckets: '3' });
  await assertStartProvider(ctl, host.id, 'weft+builtin://keyvalue-nats', 'kv');
  await assertStartProvider(ctl, host.id, 'weft+builtin://keyvalue-nats', 'kvsmall', ['small']);
  await assertStartProvider(ctl, host.id, 'weft+builtin://keyvalue-redis', 'redis');
  // the operator's secrets live in CONFIGDATA: what an attacker would be after
  await ctl.putConfig('redis-cfg', { URL: redis.url });
  await ctl.putConfig('redis-shared', { URL: redis.url, namespace: `shared_${lattice}` });
  await ctl.putConfig('reserved', {
    bucket: CONFIGDATA,
    buckets: `${LATTICEDATA},wadm_manifests,weft_controller,KV_x,ok_${lattice}`,
  });
  const links: [string, string, string[]][] = [
    ['evil', 'kv', []],
    ['victim', 'kv', []],
    ['evil-cfg', 'kv', ['reserved']],
    ['flooder', 'kvsmall', []],
    ['r-evil', 'redis', ['redis-cfg']],
    ['r-victim', 'redis', ['redis-cfg']],
    ['r-share1', 'redis', ['redis-shared']],
    ['r-share2', 'redis', ['redis-shared']],
  ];
  for (const [id, target, config] of links) {
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: ref, component_id: id, count: 1 });
    await ctl.putLink(kvLink(id, target, config));
  }
  await check(
    () => links.every(([id, target]) => host.links.lookup(id, 'default', 'wasi:keyvalue/store')?.target === target),
    15_000,
  );
}, 120_000);

afterAll(async () => {
  await ctl?.[Symbol.asyncDispose]();
  await host?.stop();
  await redis?.stop();
  await ns?.stop();
});

describe('security: keyvalue-nats, link without bucket config', () => {
  it("opens of CONFIGDATA_/LATTICEDATA_/wadm_manifests land in the guest's own bucket: the lattice's config and links are neither readable nor writable", async () => {
    const kvm = new Kvm(jetstream(rawNatsOf(ctl)));
    // reading: nothing of the real buckets shows
    expect(await probe('evil', 'get', CONFIGDATA, 'redis-cfg')).toBe('none');
    expect(await probe('evil', 'list', CONFIGDATA)).toBe('keys:');
    expect(await probe('evil', 'get', LATTICEDATA, 'COMPONENT_victim')).toBe('none');
    expect(await probe('evil', 'list', LATTICEDATA)).toBe('keys:');
    expect(await probe('evil', 'list', 'wadm_manifests')).toBe('keys:');
    expect(await probe('evil', 'list', 'weft_controller')).toBe('keys:');
    // writing: the real entries stay as they were
    const linksBefore = (await (await kvm.open(LATTICEDATA)).get('COMPONENT_victim'))?.string();
    expect(linksBefore).toContain('"victim"');
    expect(await probe('evil', 'set', CONFIGDATA, 'redis-cfg', '{"URL":"redis://attacker:6379"}')).toBe('ok');
    expect(await probe('evil', 'set', LATTICEDATA, 'COMPONENT_victim', '{"links":[null]}')).toBe('ok');
    expect(await probe('evil', 'set', 'wadm_manifests', `${lattice}_evil`, '{"deployed_version":"v1"}')).toBe('ok');
    expect(await ctl.getConfig('redis-cfg')).toEqual({ URL: redis.url });
    expect((await (await kvm.open(LATTICEDATA)).get('COMPONENT_victim'))?.string()).toBe(linksBefore);
    // the writes are in the guest's own per-link bucket, and it reads back only what it wrote
    const own = await kvm.open(derivedBucket(lattice, 'evil', CONFIGDATA));
    expect((await own.get('redis-cfg'))?.string()).toBe('{"URL":"redis://attacker:6379"}');
    expect(await probe('evil', 'get', CONFIGDATA, 'redis-cfg')).toBe('val:{"URL":"redis://attacker:6379"}');
    // the host still serves links and the lattice still answers
    expect(host.links.lookup('victim', 'default', 'wasi:keyvalue/store')?.target).toBe('kv');
    expect((await ctl.getHosts()).map((h) => h.id)).toContain(host.id);
  });

  it("another component's store is out of reach, even by the name of its bucket; globs are refused with KV_BAD_IDENTIFIER", async () => {
    expect(await probe('victim', 'set', 'default', 'secret', 's3cret')).toBe('ok');
    expect(await probe('victim', 'get', 'default', 'secret')).toBe('val:s3cret');
    expect(await probe('evil', 'get', 'default', 'secret')).toBe('none');
    expect(await probe('evil', 'list', 'default')).toBe('keys:');
    // the victim's bucket name is a valid identifier: it derives a bucket of evil's own
    const victims = derivedBucket(lattice, 'victim', 'default');
    expect(await probe('evil', 'get', victims, 'secret')).toBe('none');
    expect(await probe('evil', 'get', 'victim', 'secret')).toBe('none');
    for (const glob of ['*', '>', 'a.b', 'KV_*', ''])
      expect(await probe('evil', 'open', glob)).toMatch(/^err:other:\[KV_BAD_IDENTIFIER\]/);
    expect(await probe('victim', 'get', 'default', 'secret')).toBe('val:s3cret');
  });
});

describe('security: keyvalue-nats, buckets configured by the operator', () => {
  it('reserved buckets are access-denied even when configured; identifiers off the allow-list are no-such-store', async () => {
    expect(await probe('evil-cfg', 'open', 'default')).toBe('err:access-denied'); // the link name reaches `bucket` = CONFIGDATA_
    expect(await probe('evil-cfg', 'get', CONFIGDATA, 'redis-cfg')).toBe('err:access-denied');
    for (const id of [LATTICEDATA, 'wadm_manifests', 'weft_controller', 'KV_x'])
      expect(await probe('evil-cfg', 'open', id)).toBe('err:access-denied');
    expect(await probe('evil-cfg', 'open', 'something_else')).toBe('err:no-such-store');
    expect(await probe('evil-cfg', 'set', `ok_${lattice}`, 'k', 'v')).toBe('ok'); // an allowed, ordinary bucket works
    expect((await (await new Kvm(jetstream(rawNatsOf(ctl))).open(`ok_${lattice}`)).get('k'))?.string()).toBe('v');
  });
});

describe('security: keyvalue-nats, bucket flood', () => {
  it('per-link buckets stop at max_buckets with KV_BUCKET_LIMIT; the buckets already made keep working', async () => {
    const results: string[] = [];
    for (let i = 0; i < 6; i++) results.push(await probe('flooder', 'open', `flood${i}`));
    expect(results.slice(0, 3)).toEqual(['ok', 'ok', 'ok']);
    for (const r of results.slice(3)) expect(r).toMatch(/^err:other:\[KV_BUCKET_LIMIT\]/);
    expect(await probe('flooder', 'set', 'flood0', 'k', 'still')).toBe('ok');
    expect(await probe('flooder', 'get', 'flood0', 'k')).toBe('val:still');
    const made: string[] = [];
    for await (const s of new Kvm(jetstream(rawNatsOf(ctl))).list())
      if (s.bucket.includes('_flooder_flood')) made.push(s.bucket);
    expect(made.sort()).toEqual([0, 1, 2].map((i) => derivedBucket(lattice, 'flooder', `flood${i}`)).sort());
  });
});

describe('security: keyvalue-redis', () => {
  it("a component can neither read nor list another component's keys; globs are refused; SCAN stays in its own namespace", async () => {
    const r = new Redis(redis.url);
    try {
      expect(await probe('r-victim', 'set', 'default', 'secret', 's3cret')).toBe('ok');
      expect(await probe('r-victim', 'set', 'default', 'a*b', 'x')).toBe('ok');
      for (const glob of ['*', 'default*', '[a-z]*', 'x:y', '\\'])
        expect(await probe('r-evil', 'list', glob)).toMatch(/^err:other:\[KV_BAD_IDENTIFIER\]/);
      expect(await probe('r-evil', 'get', 'default', 'secret')).toBe('none');
      expect(await probe('r-evil', 'list', 'default')).toBe('keys:');
      expect(await probe('r-evil', 'get', 'r-victim', 'secret')).toBe('none');
      expect(await probe('r-evil', 'set', 'default', 'mine', '1')).toBe('ok');
      expect(await probe('r-evil', 'list', 'default')).toBe('keys:mine,');
      // the victim's list is its own, glob characters in its keys included
      expect((await probe('r-victim', 'list', 'default')).split(/[:,]/).filter(Boolean).sort()).toEqual([
        'a*b',
        'keys',
        'secret',
      ]);
      // in Redis every key sits under its link's namespace
      const all = (await r.keys('*')).sort();
      expect(all).toEqual([
        `weftkv:${lattice}:r-evil:default:default:mine`,
        `weftkv:${lattice}:r-victim:default:default:a*b`,
        `weftkv:${lattice}:r-victim:default:default:secret`,
      ]);
    } finally {
      await r.quit();
    }
  });

  it('two links an operator points at one namespace share it on purpose (the isolation above is the link, not luck)', async () => {
    expect(await probe('r-share1', 'set', 'default', 'note', 'hello')).toBe('ok');
    expect(await probe('r-share2', 'get', 'default', 'note')).toBe('val:hello');
    expect(await probe('r-evil', 'get', 'default', 'note')).toBe('none');
  });
});
