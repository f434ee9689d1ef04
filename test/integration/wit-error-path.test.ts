import type { Msg } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRpc, encodeRpc, errorHeaders, errorReply, rpcSubject } from '../../lattice/index.ts';
import type { RunningNatsServer } from '../../lattice/index.ts';
import {
  assertScaleComponent,
  check,
  fixtureRef,
  latticeFor,
  NatsServer,
  rawNatsOf,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
beforeAll(async () => {
  ns = await NatsServer.start();
});
afterAll(async () => {
  await ns?.stop();
});

describe('a WIT error value between components', () => {
  it("a guest's import gets another guest's result::err over the lattice as its err; a malformed one fails the call, coded", async () => {
    const lattice = latticeFor('witerr');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    for (const id of ['caller', 'callee'])
      await assertScaleComponent(ctl, {
        host_id: host.id,
        component_ref: fixtureRef('flavorful.component.wasm'),
        component_id: id,
        count: 1,
      });
    // flavorful's test-imports calls each function of its import test:flavorful/test and asserts the answers, as
    // wit-bindgen's test host gives them: errno-result is err(b) once, then ok. The link goes to a plain NATS
    // responder that forwards to `callee` (a flavorful) over the lattice and stands in for that test host where the
    // fixture's exports do not answer the same (the second errno-result; list-of-variants is unimplemented there).
    const seen: string[] = [];
    let hostile = false;
    const prefix = rpcSubject.invoke(lattice, 'proxy', '');
    const respond = (m: Msg, err: unknown) => {
      const r = errorReply(err, 'PROXY_FAILED');
      m.respond(r.data, { headers: r.headers });
    };
    rawNatsOf(ctl).subscribe(rpcSubject.target(lattice, 'proxy'), {
      callback: (_e, m) => {
        const op = m.subject.slice(prefix.length).replace('test:flavorful/test.', '');
        if (op === 'errno-result' && hostile) {
          seen.push('errno-result hostile');
          return void m.respond(new Uint8Array([0xdc, 0xff, 0xff]), { headers: errorHeaders('WIT_ERROR', '{"tag":') });
        }
        if (op === 'errno-result' && seen.includes('errno-result err')) {
          seen.push('errno-result ok');
          return void m.respond(encodeRpc(null));
        }
        if (op === 'list-of-variants')
          return void m.respond(
            encodeRpc([
              [false, true],
              [{ tag: 'err' }, { tag: 'ok' }],
              ['a', 'b'],
            ]),
          );
        void ctl.invoke('callee', `test:flavorful/test.${op}`, decodeRpc(m.data) as unknown[]).then(
          (v) => {
            seen.push(`${op} ok`);
            m.respond(encodeRpc(v));
          },
          (err: unknown) => {
            seen.push(`${op} err`);
            if (op === 'errno-result') expect(err).toMatchObject({ code: 'WIT_ERROR', value: 'b' });
            respond(m, err);
          },
        );
      },
    });
    await ctl.putLink({
      source_id: 'caller',
      target: 'proxy',
      name: 'default',
      wit_namespace: 'test',
      wit_package: 'flavorful',
      interfaces: ['test'],
      source_config: [],
      target_config: [],
    });
    await check(() => host.links.lookup('caller', 'default', 'test:flavorful/test'));
    // every assertion of the caller's guest held (one failing traps it), the err(b) among them
    expect(await ctl.invoke('caller', 'test-imports', [])).toBeNull();
    expect(seen).toContain('errno-result err');
    expect(seen).toContain('errno-result ok');
    // a peer answering a WIT_ERROR whose value is not msgpack: the guest gets nothing made up, the call fails coded
    hostile = true;
    await expect(ctl.invoke('caller', 'test-imports', [])).rejects.toMatchObject({ code: 'LAT_BAD_PAYLOAD' });
    expect(seen).toContain('errno-result hostile');
    // and the caller still serves
    expect(await ctl.invoke('caller', 'test:flavorful/test.f-list-in-record2', [])).toEqual({ a: 'list_in_record2' });
    await host.stop();
  });
});
