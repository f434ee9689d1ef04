import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningNatsServer } from '../../lattice/index.ts';
import {
  NatsServer,
  actorRef,
  assertScaleComponent,
  assertStartProvider,
  check,
  latticeFor,
  startTestHost,
  testCtl,
  linkOf,
  rawNatsOf,
} from '../helpers/index.ts';

let ns: RunningNatsServer;
const refs: Record<string, string> = {};
beforeAll(async () => {
  ns = await NatsServer.start();
  for (const a of ['messaging-echo', 'greeter', 'greeter-caller']) refs[a] = await actorRef(a);
}, 180_000);
afterAll(async () => {
  await ns?.stop();
});

describe('messaging and component calls', () => {
  it('messaging-nats - a published request reaches the echo actor through SUBSCRIPTIONS and its reply comes back', async () => {
    const lattice = latticeFor('echo');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    await assertStartProvider(ctl, host.id, 'weft+builtin://messaging-nats', 'nats');
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: refs['messaging-echo']!,
      component_id: 'echo',
      count: 2,
    });
    await ctl.putConfig('sub-cfg', { SUBSCRIPTIONS: `${lattice}.echo.>|echoers` });
    await ctl.putLink(linkOf('nats', 'echo', 'wasmcloud:messaging', ['handler'], { source_config: ['sub-cfg'] }));
    await ctl.putLink(linkOf('echo', 'nats', 'wasmcloud:messaging', ['consumer']));
    const reply = await check(
      () =>
        rawNatsOf(ctl)
          .request(`${lattice}.echo.hi`, 'héllo 🌍', { timeout: 2000 })
          .catch(() => undefined),
      15_000,
    );
    expect(reply.string()).toBe('héllo 🌍');
    await host.stop();
  });

  it('component calls - greeter-caller calls greeter over a custom interface, in one host and from host A to host B', async () => {
    const lattice = latticeFor('greet');
    const a = await startTestHost(ns.url, { lattice });
    const b = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, {
      host_id: a.id,
      component_ref: refs['greeter-caller']!,
      component_id: 'caller',
      count: 2,
    });
    await assertScaleComponent(ctl, {
      host_id: a.id,
      component_ref: refs['greeter']!,
      component_id: 'greeter-a',
      count: 2,
    });
    await assertScaleComponent(ctl, {
      host_id: b.id,
      component_ref: refs['greeter']!,
      component_id: 'greeter-b',
      count: 2,
    });
    // no link yet: a clear error naming component, interface and link name, at once
    const noLink = await ctl.invoke('caller', 'call-greeter', ['ann']).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    );
    expect(noLink?.code).toBe('HOST_LINK_NOT_FOUND');
    expect(noLink?.message).toMatch(/"caller".*weft:actors\/greeter.*"default"/);
    await ctl.putLink(linkOf('caller', 'greeter-a', 'weft:actors', ['greeter']));
    await check(() => a.links.lookup('caller', 'default', 'weft:actors/greeter')?.target === 'greeter-a');
    expect(await ctl.invoke('caller', 'call-greeter', ['ann'])).toBe('hello, ann! (via greeter-caller)');
    // replace the link while calls flow: point it at the greeter on host B (a lattice hop)
    let stop = false;
    const failures: unknown[] = [];
    const flow = (async () => {
      while (!stop) await ctl.invoke('caller', 'call-greeter', ['bob']).catch((e: unknown) => failures.push(e));
    })();
    await ctl.deleteLink({ source_id: 'caller', wit_namespace: 'weft', wit_package: 'actors', name: 'default' });
    await ctl.putLink(linkOf('caller', 'greeter-b', 'weft:actors', ['greeter']));
    await check(() => a.links.lookup('caller', 'default', 'weft:actors/greeter')?.target === 'greeter-b');
    stop = true;
    await flow;
    // during the gap between delete and put, calls fail fast with the link error, never hang
    for (const f of failures) expect((f as { code: string }).code).toBe('HOST_LINK_NOT_FOUND');
    expect(await ctl.invoke('caller', 'call-greeter', ['cy'])).toBe('hello, cy! (via greeter-caller)');
    // wasmcloud:bus/lattice.set-link-name: the guest picks the link named "local" for this invocation only
    const noNamed = await ctl.invoke('caller', 'call-greeter-as', ['local', 'di']).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    );
    expect(noNamed).toMatchObject({ code: 'HOST_LINK_NOT_FOUND', message: expect.stringContaining('"local"') });
    await ctl.putLink(linkOf('caller', 'greeter-a', 'weft:actors', ['greeter'], { name: 'local' }));
    await check(() => a.links.lookup('caller', 'local', 'weft:actors/greeter')?.target === 'greeter-a');
    expect(await ctl.invoke('caller', 'call-greeter-as', ['local', 'di'])).toBe(
      'hello, di! (via greeter-caller, link local)',
    );
    // the next invocation starts on the default link again (greeter-b): drop it and the default call fails
    await ctl.deleteLink({ source_id: 'caller', wit_namespace: 'weft', wit_package: 'actors', name: 'default' });
    await check(() => a.links.lookup('caller', 'default', 'weft:actors/greeter') === undefined);
    await expect(ctl.invoke('caller', 'call-greeter', ['ed'])).rejects.toMatchObject({
      code: 'HOST_LINK_NOT_FOUND',
    });
    expect(await ctl.invoke('caller', 'call-greeter-as', ['local', 'ed'])).toBe(
      'hello, ed! (via greeter-caller, link local)',
    );
    await Promise.all([a.stop(), b.stop()]);
  });
});
