import { describe, expect, it } from 'vitest';
import {
  NatsServer,
  assertScaleComponent,
  check,
  fixtureRef,
  latticeFor,
  spawnCli,
  startTestHost,
  testCtl,
} from '../helpers/index.ts';

describe('cli spy', () => {
  it('weft spy - shows decoded invocations to a component and their results', async () => {
    await using ns = await NatsServer.start();
    const lattice = latticeFor('spy');
    const host = await startTestHost(ns.url, { lattice });
    await using ctl = await testCtl(ns.url, lattice);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: fixtureRef('adder.component.wasm'),
      component_id: 'adder',
      count: 1,
    });
    const spy = spawnCli(['spy', 'adder', '--nats-url', ns.url, '--lattice', lattice, '-o', 'json', '--for', '20']);
    let out = '';
    spy.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await check(
      async () => {
        await ctl.invoke('adder', 'docs:adder/add.add', [19, 23], { sourceId: 'tester' });
        return out.includes('"type":"result"');
      },
      20_000,
      200,
    );
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'invocation',
        operation: 'docs:adder/add.add',
        source_id: 'tester',
        args: [19, 23],
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'result', operation: 'docs:adder/add.add', result: 42 }),
    );
    spy.kill('SIGTERM');
    await host.stop();
  }, 60_000);
});
