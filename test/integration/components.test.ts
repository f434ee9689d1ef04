import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRpc, rpcSubject } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import {
  NatsServer,
  assertScaleComponent,
  captureLogger,
  check,
  fixture,
  fixtureRef,
  latticeFor,
  scaleAndWait,
  startTestHost,
  testCtl,
  rawNatsOf,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
  await ns?.stop();
});

describe('components', () => {
  it('component scale - adder runs through the lattice: add(2,3) = 5, listed in the inventory', async () => {
    const lattice = latticeFor('adder');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    const evt = await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: fixtureRef('adder.component.wasm'),
      component_id: 'adder',
      count: 3,
      annotations: { team: 'a' },
    });
    expect(evt.data).toMatchObject({ component_id: 'adder', max_instances: 3, host_id: host.id });
    expect(await ctl.invoke('adder', 'docs:adder/add.add', [2, 3])).toBe(5);
    expect(await ctl.invoke('adder', 'docs:adder/add@0.1.0.add', [40, 2])).toBe(42);
    const inv = await ctl.getHostInventory(host.id);
    expect(inv.components).toEqual([
      {
        id: 'adder',
        image_ref: fixtureRef('adder.component.wasm'),
        annotations: { team: 'a' },
        revision: 0,
        max_instances: 3,
        // the sha256 of the component bytes, and the named configs it was scaled with
        digest: expect.stringMatching(/^[0-9a-f]{64}$/),
        config: [],
      },
    ]);
    // bad calls are coded errors, and the component keeps answering
    await expect(ctl.invoke('adder', 'docs:adder/add.nope', [1])).rejects.toMatchObject({
      code: 'COMP_NO_SUCH_EXPORT',
    });
    await expect(ctl.invoke('adder', 'docs:adder/add.add', ['x', 1])).rejects.toMatchObject({
      code: 'COMP_BAD_ARGUMENTS',
    });
    await expect(ctl.invoke('adder', 'docs:adder/add.add', [1])).rejects.toMatchObject({
      code: 'COMP_BAD_ARGUMENTS',
    });
    rawNatsOf(ctl).publish(rpcSubject.invoke(lattice, 'adder', 'docs:adder/add.add'), new Uint8Array([0xc1, 0xff]));
    expect(await ctl.invoke('adder', 'docs:adder/add.add', [1, 1])).toBe(2);
    // replies of one event-loop turn go out together: each caller still gets its own answer, errors included (60
    // calls: within max_instances 3 and its wait queue of 64, past which calls are shed with COMP_BUSY)
    const calls = Array.from({ length: 60 }, (_, i) =>
      i % 10 === 7
        ? ctl.invoke('adder', 'docs:adder/add.add', [i]).catch((e: { code: string }) => e.code)
        : ctl.invoke('adder', 'docs:adder/add.add', [i, 1000]),
    );
    expect(await Promise.all(calls)).toEqual(
      Array.from({ length: 60 }, (_, i) => (i % 10 === 7 ? 'COMP_BAD_ARGUMENTS' : i + 1000)),
    );
    await host.stop();
  });

  it('component scale - strings round-trips UTF-8 with emoji, flavorful round-trips its WIT types', async () => {
    const lattice = latticeFor('codec');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: fixtureRef('strings.component.wasm'),
      component_id: 'strings',
      count: 2,
    });
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: fixtureRef('flavorful.component.wasm'),
      component_id: 'flavorful',
      count: 2,
    });
    const call = (id: string, op: string, args: unknown[]) => ctl.invoke(id, op, args);
    for (const s of ['héllo 🌍', '🚀🚀🚀 𠈄𓀀', 'ascii', 'ünï €'])
      expect(await call('strings', 'roundtrip', [s])).toBe(s);
    // the fixture asserts a non-empty string: an empty one traps, and the next call still succeeds
    await expect(call('strings', 'roundtrip', [''])).rejects.toMatchObject({ code: 'COMP_TRAP' });
    expect(await call('strings', 'roundtrip', ['again'])).toBe('again');
    expect(await call('strings', 'return-empty', [])).toBe('');
    const f = 'test:flavorful/test';
    expect(await call('flavorful', `${f}.f-list-in-record1`, [{ a: 'list_in_record1' }])).toBeNull();
    expect(await call('flavorful', `${f}.f-list-in-record2`, [])).toEqual({ a: 'list_in_record2' });
    expect(await call('flavorful', `${f}.f-list-in-record3`, [{ a: 'list_in_record3 input' }])).toEqual({
      a: 'list_in_record3 output',
    });
    expect(await call('flavorful', `${f}.f-list-in-record4`, [{ a: 'input4' }])).toEqual({ a: 'result4' });
    expect(await call('flavorful', `${f}.f-list-in-variant1`, ['foo', { err: 'bar' }])).toBeNull();
    expect(await call('flavorful', `${f}.f-list-in-variant2`, [])).toBe('list_in_variant2');
    expect(await call('flavorful', `${f}.f-list-in-variant3`, ['input3'])).toBe('output3');
    await expect(call('flavorful', `${f}.errno-result`, [])).rejects.toMatchObject({ code: 'WIT_ERROR', value: 'b' });
    expect(await call('flavorful', `${f}.list-typedefs`, ['typedef1', ['typedef2']])).toEqual([
      [...new TextEncoder().encode('typedef3')],
      ['typedef4'],
    ]);
    // the fixture's list-of-variants is `assert(0); // unimplemented`: its arguments lower fine, then it traps
    await expect(
      call('flavorful', `${f}.list-of-variants`, [
        [true, false],
        [{ ok: null }, { err: null }],
        ['success', 'a'],
      ]),
    ).rejects.toMatchObject({ code: 'COMP_TRAP' });
    await expect(call('flavorful', `${f}.list-of-variants`, [[1], [], []])).rejects.toMatchObject({
      code: 'COMP_BAD_ARGUMENTS',
    });
    await host.stop();
  });

  it('component imports - strings calls test:strings/imports on the component it is linked to, over the lattice', async () => {
    const lattice = latticeFor('imports');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: fixtureRef('strings.component.wasm'),
      component_id: 'strings',
      count: 1,
    });
    // without a link the call fails at once, naming the component, interface and link name
    const noLink = (await ctl.invoke('strings', 'test-imports', []).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { code: string };
    expect(noLink).toMatchObject({ code: 'HOST_LINK_NOT_FOUND' });
    expect(String(noLink.message)).toMatch(/"strings".*test:strings\/imports.*"default"/);
    // a target serving the interface on the lattice (here a plain NATS responder standing in for a component)
    const seen: string[] = [];
    rawNatsOf(ctl).subscribe(rpcSubject.target(lattice, 'strings-host'), {
      callback: (_e, m) => {
        seen.push(m.subject.split('.').slice(-1)[0] ?? '');
        m.respond(encodeRpc(m.subject.endsWith('return-unicode') ? '🚀🚀🚀 𠈄𓀀' : null));
      },
    });
    await ctl.putLink({
      source_id: 'strings',
      target: 'strings-host',
      name: 'default',
      wit_namespace: 'test',
      wit_package: 'strings',
      interfaces: ['imports'],
      source_config: [],
      target_config: [],
    });
    await check(() => host.links.lookup('strings', 'default', 'test:strings/imports'));
    expect(await ctl.invoke('strings', 'test-imports', [])).toBeNull();
    expect(seen).toEqual(['take-basic', 'return-unicode']);
    await host.stop();
  });

  it('component logs - hello_stdout output appears in the host log tagged with the component id', async () => {
    const lattice = latticeFor('stdout');
    const { logger, lines } = captureLogger();
    const host = await startTestHost(ns.url, { lattice, logger });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: fixtureRef('hello_stdout.component.wasm'),
      component_id: 'hello',
      count: 1,
    });
    await ctl.invoke('hello', 'wasi:cli/run@0.2.3.run', []);
    await check(() =>
      lines.find(
        (l) =>
          l['component_id'] === 'hello' && l['stream'] === 'stdout' && l['msg'] === 'writing to stdout: hello, world',
      ),
    );
    expect(lines.find((l) => l['component_id'] === 'hello' && l['stream'] === 'stderr')).toBeTruthy();
    await host.stop();
  });

  it('component scale - a corrupt or non-component file gets component_scale_failed and the host keeps serving', async () => {
    const lattice = latticeFor('corrupt');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    const dir = await mkdtemp(join(tmpdir(), 'weft-bad-'));
    await writeFile(join(dir, 'text.wasm'), 'definitely not wasm');
    const adder = await readFile(fixture('adder.component.wasm'));
    await writeFile(join(dir, 'truncated.wasm'), adder.subarray(0, adder.length / 2));
    await copyFile(fixture('echo_messaging_v0.9.0.wasm'), join(dir, 'module.wasm'));
    const cases: [string, RegExp][] = [
      ['text.wasm', /not a Wasm component/],
      ['truncated.wasm', /runs past the end|transpile/],
      ['module.wasm', /core Wasm module/],
      ['missing.wasm', /does not exist/],
    ];
    for (const [file, why] of cases) {
      const e = await scaleAndWait(ctl, {
        host_id: host.id,
        component_ref: `file://${join(dir, file)}`,
        component_id: `bad-${file.replace('.wasm', '')}`,
        count: 1,
      });
      expect(e.type).toMatch(/component_scale_failed$/);
      expect(String(e.data['error'])).toMatch(why);
    }
    const bad = await ctl.requestRaw(
      `wasmbus.ctl.v1.${lattice}.component.scale.${host.id}`,
      JSON.stringify({ component_ref: 'ftp://x', component_id: 'x', count: 1 }),
    );
    expect(bad).toMatchObject({ success: false });
    expect(bad.message).toMatch(/unsupported scheme/);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: fixtureRef('adder.component.wasm'),
      component_id: 'adder',
      count: 1,
    });
    expect(await ctl.invoke('adder', 'docs:adder/add.add', [2, 2])).toBe(4);
    expect((await ctl.getHostInventory(host.id)).components.map((c) => c.id)).toEqual(['adder']);
    await host.stop();
  });
});
