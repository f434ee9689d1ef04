import { describe, expect, it } from 'vitest';
import {
  NatsServer,
  actorRef,
  assertScaleComponent,
  captureLogger,
  check,
  latticeFor,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

describe('host-internal imports', () => {
  it('wasi:config and wasi:logging - a component reads the named configs it was scaled with and logs through the host', async () => {
    const ref = await actorRef('config-logger');
    await using ns = await NatsServer.start();
    const lattice = latticeFor('hostimports');
    const { logger, lines } = captureLogger();
    const host = await startTestHost(ns.url, { lattice, logger });
    await using ctl = await testCtl(ns.url, lattice);
    await ctl.putConfig('base', { greeting: 'hello', other: '1' });
    await ctl.putConfig('override', { greeting: 'hi' });
    await ctl.scaleComponent({
      host_id: host.id,
      component_ref: ref,
      component_id: 'cl',
      count: 1,
      config: ['base', 'override'],
    });
    await check(async () => (await ctl.getHostInventory(host.id)).components.some((c) => c.id === 'cl'), 30_000);
    expect(await ctl.invoke('cl', 'describe', [])).toBe('greeting=hi; keys=greeting,other');
    await check(() =>
      lines.find(
        (l) => l['component_id'] === 'cl' && l['context'] === 'config-logger' && l['msg'] === 'greeting is hi',
      ),
    );
    await assertScaleComponent(ctl, { host_id: host.id, component_ref: ref, component_id: 'bare', count: 1 });
    expect(await ctl.invoke('bare', 'describe', [])).toBe('greeting=none; keys=');
    await host.stop();
  }, 120_000);
});
