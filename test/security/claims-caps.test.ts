/**
 * Claims and caps mean what they say: deny-all and partial caps, caps prefix tricks, host-internal imports in the
 * caps check, issuer key roles, claims that expire while the component runs, provider files outside
 * --allow-provider-dir, and a transpile cache others can write. Real nats-server, real hosts, WAT components.
 */
import { chmod, mkdir, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Link, RunningNatsServer } from '../../lattice/index.ts';
import { generateKey, signComponent } from '../../lattice/wascap/index.ts';
import type { SignOptions } from '../../lattice/wascap/index.ts';
import { capsCaller, fakeTarget } from '../fixtures/wat/build-caps-components.ts';
import {
  EventRecorder,
  NatsServer,
  assertScaleComponent,
  latticeFor,
  scaleAndWait,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

const KEYVALUE_MEMORY = fileURLToPath(new URL('../../capabilities/keyvalue-memory/main.ts', import.meta.url));
let ns: RunningNatsServer;
let dir: string;
let caller: Uint8Array;
let targetRef: string;
const issuer = generateKey('account');

/** Signs the caller with these options and writes it to a file; returns its ref. */
async function signedCaller(name: string, o: Partial<SignOptions> = {}): Promise<string> {
  const file = join(dir, `${name}.wasm`);
  await writeFile(file, signComponent(caller, { issuer, subject: generateKey('component'), name, ...o }).bytes);
  return `file://${file}`;
}

const fakeLink = (source: string): Link => ({
  source_id: source,
  target: 'target',
  name: 'default',
  wit_namespace: 'wasi',
  wit_package: 'httpx',
  interfaces: ['fake'],
  source_config: [],
  target_config: [],
});

beforeAll(async () => {
  ns = await NatsServer.start();
  dir = await mkdtemp(join(tmpdir(), 'weft-caps-'));
  caller = await capsCaller();
  await writeFile(
    join(dir, 'target.wasm'),
    signComponent(await fakeTarget(), { issuer, subject: generateKey('component'), name: 'target' }).bytes,
  );
  targetRef = `file://${join(dir, 'target.wasm')}`;
}, 60_000);
afterAll(async () => {
  await ns?.stop();
});

describe('claims and caps', () => {
  it('caps - deny-all ([]) and wasi:http cannot call a linked wasi:httpx target; wasi:httpx and no caps claim can; wasi:logging is checked too', async () => {
    const lattice = latticeFor('caps_calls');
    const host = await startTestHost(ns.url, { lattice, allowUnsigned: false });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: targetRef, component_id: 'target', count: 1 });
    const variants: Record<string, string[] | undefined> = {
      denyall: [],
      http: ['wasi:http'],
      httpx: ['wasi:httpx'],
      both: ['wasi:httpx@0.1.0', 'wasi:logging'],
      open: undefined,
    };
    // links first (the source does not run yet, so link.put does not check caps): the call-time check must hold alone
    for (const id of Object.keys(variants)) await ctl.putLink(fakeLink(id));
    for (const [id, caps] of Object.entries(variants))
      await assertScaleComponent(ctl, {
        host_id: host.id,
        component_ref: await signedCaller(id, { caps }),
        component_id: id,
        count: 1,
      });
    const run = (id: string) =>
      ctl.invoke(id, 'run', []).then(
        (v) => ({ ok: v }),
        (e: Error) => ({ err: e.message }),
      );
    const say = (id: string) =>
      ctl.invoke(id, 'say', []).then(
        () => 'ok',
        (e: Error) => e.message,
      );
    expect(await run('denyall')).toEqual({
      err: expect.stringMatching(/HOST_CAPABILITY_DENIED.*may not call wasi:httpx\/fake/),
    });
    expect(await run('http')).toEqual({
      err: expect.stringMatching(/HOST_CAPABILITY_DENIED.*allow only \[wasi:http\]/),
    });
    expect(await run('httpx')).toEqual({ ok: 42 });
    expect(await run('both')).toEqual({ ok: 42 });
    expect(await run('open')).toEqual({ ok: 42 });
    // wasi:logging is served by the host itself, and still needs the cap
    expect(await say('httpx')).toMatch(/HOST_CAPABILITY_DENIED.*may not call wasi:logging\/logging/);
    expect(await say('denyall')).toMatch(/HOST_CAPABILITY_DENIED/);
    expect(await say('both')).toBe('ok');
    expect(await say('open')).toBe('ok');
    // and a link put while the deny-all component runs is refused outright
    await ctl.deleteLink({ source_id: 'denyall', name: 'default', wit_namespace: 'wasi', wit_package: 'httpx' });
    await expect(ctl.putLink(fakeLink('denyall'))).rejects.toThrow(/may not use wasi:httpx/);
    expect(await run('httpx')).toEqual({ ok: 42 }); // the host still serves
    await host.stop();
  });

  it('claims - a token whose issuer is not an account key (A…) is refused, and so is one whose subject is not a component key', async () => {
    const lattice = latticeFor('caps_roles');
    const host = await startTestHost(ns.url, { lattice, allowUnsigned: false });
    await using ctl = await testCtl(ns.url, lattice);
    for (const type of ['operator', 'user', 'server']) {
      const ref = await signedCaller(`iss-${type}`, { issuer: generateKey(type), caps: ['wasi:httpx'] });
      const e = await scaleAndWait(ctl, {
        host_id: host.id,
        component_ref: ref,
        component_id: `iss-${type}`,
        count: 1,
      });
      expect(e.type, type).toMatch(/component_scale_failed$/);
      expect(String(e.data['error']), type).toMatch(/CLAIMS_KEY_ROLE.*not an account key/);
    }
    const sub = await scaleAndWait(ctl, {
      host_id: host.id,
      component_ref: await signedCaller('sub-a', { subject: generateKey('account').getPublicKey() }),
      component_id: 'sub-a',
      count: 1,
    });
    expect(String(sub.data['error'])).toMatch(/CLAIMS_KEY_ROLE.*not a component key/);
    expect((await ctl.getHostInventory(host.id)).components).toEqual([]);
    await host.stop();
  });

  it('claims - a component whose claims expire while it runs is stopped (component_scaled to 0 with the reason) and calls fail', async () => {
    const lattice = latticeFor('caps_exp');
    const host = await startTestHost(ns.url, { lattice, allowUnsigned: false });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: targetRef, component_id: 'target', count: 1 });
    await ctl.putLink(fakeLink('brief'));
    const rec = await EventRecorder.start(ctl);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: await signedCaller('brief', { caps: ['wasi:httpx'], expiresInDays: 3 / 86_400 }),
      component_id: 'brief',
      count: 1,
    });
    expect(await ctl.invoke('brief', 'run', [])).toBe(42);
    const stopped = await rec.waitFor(
      'component_scaled',
      (e) => e.data['component_id'] === 'brief' && e.data['max_instances'] === 0,
      20_000,
    );
    expect(String(stopped.data['reason'])).toMatch(/claims of component "brief" expired at/);
    expect((await ctl.getHostInventory(host.id)).components.map((c) => c.id)).toEqual(['target']);
    await expect(ctl.invoke('brief', 'run', [], { timeoutMs: 1000 })).rejects.toThrow();
    rec.stop();
    await host.stop();
  });

  it('providers - a file:// provider outside --allow-provider-dir is refused, with the same error as a missing file', async () => {
    const lattice = latticeFor('caps_pdir');
    const allowed = await mkdtemp(join(tmpdir(), 'weft-pdir-'));
    const host = await startTestHost(ns.url, { lattice, allowFileLoad: true, allowProviderDirs: [allowed] });
    await using ctl = await testCtl(ns.url, lattice);
    const rec = await EventRecorder.start(ctl);
    const start = async (id: string, ref: string): Promise<string> => {
      await ctl.startProvider({ host_id: host.id, provider_id: id, provider_ref: ref, config: [] });
      return String(
        (await rec.waitFor('provider_start_failed', (e) => e.data['provider_id'] === id, 10_000)).data['error'],
      );
    };
    const outside = await start('outside', `file://${KEYVALUE_MEMORY}`);
    expect(outside).toMatch(/HOST_PROVIDER_NOT_ALLOWED.*--allow-provider-dir/);
    expect(await start('missing', `file://${join(allowed, 'nope.ts')}`)).toBe(outside);
    await writeFile(join(allowed, 'payload.wasm'), 'not a provider');
    expect(await start('wasm', `file://${join(allowed, 'payload.wasm')}`)).toBe(outside);
    expect(host.providers.list()).toEqual([]);
    rec.stop();
    await host.stop();
  });

  it('cache - a transpile cache group or others can write is refused at host start; a new one is created 0700', async () => {
    const base = await mkdtemp(join(tmpdir(), 'weft-cachedir-'));
    const open = join(base, 'open');
    await mkdir(open);
    await chmod(open, 0o777);
    await expect(
      startTestHost(ns.url, { lattice: latticeFor('caps_cache'), runtime: { cacheDir: open, workers: 1 } }),
    ).rejects.toThrow(/COMP_CACHE_UNSAFE.*chmod 700/);
    const fresh = join(base, 'fresh');
    const host = await startTestHost(ns.url, {
      lattice: latticeFor('caps_cache2'),
      runtime: { cacheDir: fresh, workers: 1 },
    });
    expect((await stat(fresh)).mode & 0o777).toBe(0o700);
    await host.stop();
  });
});
