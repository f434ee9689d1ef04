import { describe, expect, it } from 'vitest';
import { freePort } from '../../lattice/index.ts';
import { NatsServer, assertScaleComponent, fixtureRef, latticeFor, startTestHost, testCtl } from '../helpers/index.ts';

const metric = (text: string, name: string, labels: Record<string, string>): number | undefined => {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(' ').pop());
  }
  return undefined;
};

describe('admin endpoint', () => {
  it('metrics - /livez, /readyz and /metrics report invocations, errors, latency, instances and NATS reconnects after traffic', async () => {
    await using ns = await NatsServer.start();
    const lattice = latticeFor('metrics');
    const port = await freePort();
    const host = await startTestHost(ns.url, { lattice, httpAdmin: `127.0.0.1:${port}` });
    await using ctl = await testCtl(ns.url, lattice);
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await assertScaleComponent(ctl, {
      host_id: host.id,
      component_ref: fixtureRef('adder.component.wasm'),
      component_id: 'adder',
      count: 3,
    });
    for (let i = 0; i < 7; i++) await ctl.invoke('adder', 'docs:adder/add.add', [i, 1]);
    for (let i = 0; i < 2; i++) await ctl.invoke('adder', 'docs:adder/add.add', ['bad', 1]).catch(() => undefined);
    const text = await (await fetch(`${base}/metrics`)).text();
    const op = { component_id: 'adder', operation: 'docs:adder/add.add' };
    expect(metric(text, 'weft_invocations_total', op)).toBe(9);
    expect(metric(text, 'weft_invocation_errors_total', { ...op, code: 'COMP_BAD_ARGUMENTS' })).toBe(2);
    expect(metric(text, 'weft_invocation_duration_seconds_count', { component_id: 'adder' })).toBe(9);
    expect(metric(text, 'weft_component_max_instances', { component_id: 'adder' })).toBe(3);
    // live instances (a spare in each of the 2 workers at least) and their linear memory (adder: 17 pages each)
    expect(metric(text, 'weft_component_instances', { component_id: 'adder' })).toBeGreaterThanOrEqual(2);
    expect(metric(text, 'weft_component_memory_bytes', { component_id: 'adder' })).toBeGreaterThanOrEqual(
      2 * 17 * 65536,
    );
    expect(text).toMatch(/weft_nats_reconnects_total\{[^}]*host_id="N[A-Z0-9]+"[^}]*\} 0/);
    expect(text).toMatch(/^weft_process_\w+/m);
    await host.stop();
    expect(
      await fetch(`${base}/readyz`).then(
        (r) => r.status,
        () => 0,
      ),
    ).not.toBe(200);
  });
});
