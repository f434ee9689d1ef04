/**
 * Limits that hold against hostile guests and callers (issue 16 items 3 and 4): memory64 and shared memories under the
 * linear-memory cap, guest log floods, ids that would be NATS wildcards, unknown operations in metrics, and oversize
 * artifacts (the host-wide guest budget: limits-budget.test.ts). Real hosts on a real nats-server, guests built from WAT at test time.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, freePort, NatsArtifactStore } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import { misbehavingComponent } from '../fixtures/wat/build-wat-components.ts';
import { FLOOD_LINE, loggingGuest, memoryGuest } from '../fixtures/wat/build-limit-guests.ts';
import {
  NatsServer,
  assertScaleComponent,
  captureLogger,
  check,
  fixtureRef,
  latticeFor,
  runCli,
  scaleAndWait,
  startTestHost,
  testCtl,
  rawNatsOf,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
let dir: string;
const refs: Record<string, string> = {};
beforeAll(async () => {
  ns = await NatsServer.start();
  dir = await mkdtemp(join(tmpdir(), 'weft-limits-'));
  for (const [name, build] of Object.entries({
    mem32: () => memoryGuest('32'),
    mem64: () => memoryGuest('64'),
    shared: () => memoryGuest('shared'),
    flood: loggingGuest,
    misbehave: misbehavingComponent,
  })) {
    await writeFile(join(dir, `${name}.wasm`), await build());
    refs[name] = `file://${join(dir, `${name}.wasm`)}`;
  }
});
afterAll(async () => {
  await ns?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const PAGE = 65536;
describe('host limits against hostile guests', () => {
  it('memory - memory64 and shared memories cannot grow past --max-linear-memory-bytes (they grow under it)', async () => {
    const lattice = latticeFor('mem64');
    const host = await startTestHost(ns.url, {
      lattice,
      runtime: { workers: 1, maxExecutionTimeMs: 10_000, maxLinearMemoryBytes: 256 * PAGE },
    });
    await using ctl = await testCtl(ns.url, lattice);
    for (const id of ['mem32', 'mem64', 'shared'])
      await assertScaleComponent(ctl, { host_id: host.id, component_ref: refs[id] ?? '', component_id: id, count: 1 });
    const grow = (id: string, pages: number) => ctl.invoke(id, 'grow', [pages]);
    // memory.grow returns the old size in pages, or -1 when refused; each call starts from a fresh instance
    for (const id of ['mem64', 'shared', 'mem32']) {
      expect(await grow(id, 100)).toBe(1);
      expect(await grow(id, 300)).toBe(-1);
      expect(await ctl.invoke(id, 'ok', [1])).toBe(2);
    }
    await host.stop();
  });

  it('logs - a wasi:logging and stdout flood is rate-limited, stripped of escapes and cut, and the host keeps serving', async () => {
    const lattice = latticeFor('logflood');
    const { logger, lines } = captureLogger();
    const host = await startTestHost(ns.url, { lattice, logger, runtime: { workers: 1, maxExecutionTimeMs: 30_000 } });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: refs['flood'] ?? '',
      component_id: 'flood',
      count: 1,
    });
    const call = (fn: string, n: number) => ctl.invoke('flood', fn, [n], { timeoutMs: 30_000 });
    const of = (pred: (l: Record<string, unknown>) => boolean) =>
      lines.filter((l) => l['component_id'] === 'flood' && pred(l));
    // one line of 1 MiB without a newline: the buffer flushes at 4 KiB, the line is cut
    await call('long-line', 1024 * 1024);
    const long = await check(() => of((l) => String(l['msg']).startsWith('aaaa'))[0]);
    expect(String(long['msg']).length).toBeLessThan(4200);
    expect(of((l) => String(l['msg']).startsWith('aaaa'))).toHaveLength(1);
    // 3000 wasi:logging lines: most are dropped, the escape is stripped from the rest
    await call('log-flood', 3000);
    const logged = of((l) => l['context'] === 'flood');
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.length).toBeLessThan(3000);
    expect(logged.every((l) => l['msg'] === '[2Jflood line')).toBe(true);
    // once the rate allows a line again, a warning says how many were dropped
    const warned = await check(async () => {
      await call('log-flood', 1);
      return of((l) => typeof l['suppressed'] === 'number')[0];
    }, 10_000);
    expect(warned['suppressed']).toBeGreaterThan(0);
    // 5000 stdout lines (written 200 at a time): the same
    await call('stdout-flood', 5000);
    const printed = of((l) => l['stream'] === 'stdout' && l['msg'] === FLOOD_LINE.replace(/[\u001b\n]/g, ''));
    expect(printed.length).toBeGreaterThan(0);
    expect(printed.length).toBeLessThan(5000);
    await check(async () => {
      await call('stdout-flood', 1);
      return of((l) => /\[weft\] \d+ log lines of this component were dropped/.test(String(l['msg'])))[0];
    }, 10_000);
    expect(lines.some((l) => String(l['msg']).includes('\u001b'))).toBe(false);
    expect(await ctl.invoke('flood', 'ok', [41])).toBe(42);
    await host.stop();
  });

  it('ids - wildcard and dotted ids are refused by ctl with a coded error naming the field, and by the CLI with exit 2', async () => {
    const lattice = latticeFor('ids');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    const ask = async (subject: string, body: unknown) =>
      (
        await rawNatsOf(ctl).request(`wasmbus.ctl.v1.${lattice}.${subject}`, JSON.stringify(body), { timeout: 5000 })
      ).json<{
        success: boolean;
        message: string;
      }>();
    const refused = (field: string) => ({
      success: false,
      message: expect.stringMatching(new RegExp(`LAT_BAD_PAYLOAD.*"${field}".*not a valid id: use 1 to 128 letters`)),
    });
    expect(
      await ask(`component.scale.${host.id}`, { component_ref: refs['misbehave'], component_id: 'ev*il', count: 1 }),
    ).toMatchObject(refused('component_id'));
    expect(
      await ask(`component.scale.${host.id}`, { component_ref: refs['misbehave'], component_id: 'a.b', count: 1 }),
    ).toMatchObject(refused('component_id'));
    const link = {
      source_id: 'http',
      target: '*',
      wit_namespace: 'wasi',
      wit_package: 'http',
      interfaces: ['incoming-handler'],
    };
    expect(await ask('link.put', link)).toMatchObject(refused('target'));
    expect(await ask('link.put', { ...link, target: 'ok', name: 'x.>' })).toMatchObject(refused('name'));
    expect(
      await ask(`provider.start.${host.id}`, { provider_id: 'p.q', provider_ref: 'weft+builtin://http-server' }),
    ).toMatchObject(refused('provider_id'));
    expect(await ask('config.put.a.b', { k: 'v' })).toMatchObject({
      success: false,
      message: expect.stringMatching(/config name "a\.b" is not a valid id/),
    });
    // nothing ran or was stored
    expect((await ctl.getHostInventory(host.id)).components).toEqual([]);
    expect(await ctl.getLinks()).toEqual([]);
    // the CLI refuses before connecting (the URL has no server: a sent request would exit 3)
    const cli = await runCli([
      'link',
      'put',
      'a.b',
      'kv',
      'wasi',
      'keyvalue',
      '--interface',
      'store',
      '--nats-url',
      'nats://127.0.0.1:1',
    ]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/\[CLI_USAGE\] <source> "a\.b" is not a valid id/);
    await host.stop();
  });

  it('metrics - calls to operations a component does not export are counted under operation="_unknown"', async () => {
    const lattice = latticeFor('unknownop');
    const port = await freePort();
    const host = await startTestHost(ns.url, { lattice, httpAdmin: `127.0.0.1:${port}` });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: fixtureRef('adder.component.wasm'),
      component_id: 'adder',
      count: 1,
    });
    for (let i = 0; i < 3; i++)
      await expect(ctl.invoke('adder', `docs:adder/add.nope${i}`, [1, 2])).rejects.toMatchObject({
        code: 'COMP_NO_SUCH_EXPORT',
      });
    await expect(ctl.invoke('adder', `no:such/iface.f`, [])).rejects.toMatchObject({
      code: 'COMP_NO_SUCH_EXPORT',
    });
    expect(await ctl.invoke('adder', 'docs:adder/add.add', [1, 2])).toBe(3);
    // lattice calls served in the guest workers reach the metrics with the workers' next report (≤ 100 ms)
    const added = /weft_invocations_total\{[^}]*operation="docs:adder\/add.add"[^}]*\} 1/;
    const metrics = async (): Promise<string> => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const text = await check(async () => ((t) => (added.test(t) ? t : undefined))(await metrics()), 5000);
    expect(text).toMatch(
      /weft_invocation_errors_total\{[^}]*operation="_unknown"[^}]*code="COMP_NO_SUCH_EXPORT"[^}]*\} 4/,
    );
    expect(text).toMatch(/weft_invocations_total\{[^}]*operation="docs:adder\/add.add"[^}]*\} 1/);
    expect(text).not.toMatch(/nope|no:such/);
    await host.stop();
  });

  it('artifacts - an object-store artifact over the size limit is refused from its info, before it is read', async () => {
    const lattice = latticeFor('osize');
    const nc = await connectNats({ url: ns.url });
    const store = new NatsArtifactStore(nc);
    const ref = { bucket: `big_${lattice}`, name: 'blob', tag: '1' };
    await store.push(ref, new Uint8Array(3 * 1024 * 1024));
    await expect(store.pull(ref, 1024 * 1024)).rejects.toMatchObject({
      code: 'LAT_REFUSED',
      message: expect.stringContaining(`is ${3 * 1024 * 1024} bytes, over the limit of ${1024 * 1024}`),
    });
    expect((await store.pull(ref, 4 * 1024 * 1024)).length).toBe(3 * 1024 * 1024);
    const host = await startTestHost(ns.url, { lattice, maxComponentSizeBytes: 1024 * 1024 });
    await using ctl = await testCtl(ns.url, lattice);
    const e = await scaleAndWait(ctl, {
      host_id: host.id,
      component_ref: `nats://${ref.bucket}/blob:1`,
      component_id: 'big',
      count: 1,
    });
    expect(e.type).toMatch(/component_scale_failed$/);
    expect(String(e.data['error'])).toMatch(/HOST_REFUSED.*over the limit of 1048576.*--max-component-size-bytes/);
    await host.stop();
    await nc.close();
  });
});
