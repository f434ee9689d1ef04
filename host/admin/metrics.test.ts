import { describe, expect, it } from 'vitest';
import { HostMetrics } from './metrics.ts';

const text = (m: HostMetrics) => m.registry.metrics();

describe('host metrics', () => {
  it('observe - counts calls, errors by code and latency, with the host labels on every series', async () => {
    const m = new HostMetrics({ host_id: 'N1', lattice: 'unit' }, false);
    m.observe('adder', 'docs:adder/add.add', 0.002);
    m.observe('adder', 'docs:adder/add.add', 0.5, 'COMP_TRAP');
    const t = await text(m);
    expect(t).toContain(
      'weft_invocations_total{component_id="adder",operation="docs:adder/add.add",host_id="N1",lattice="unit"} 2',
    );
    expect(t).toMatch(/weft_invocation_errors_total\{[^}]*code="COMP_TRAP"[^}]*\} 1/);
    expect(t).toMatch(/weft_invocation_duration_seconds_count\{[^}]*component_id="adder"[^}]*\} 2/);
  });

  it('runtime gauges - filled from runtimeStats at scrape time, one stats request per scrape', async () => {
    const m = new HostMetrics({ host_id: 'N1' }, false);
    let asked = 0;
    m.runtimeStats = () => {
      asked++;
      return Promise.resolve({ adder: { instances: 3, memoryBytes: 65536 } });
    };
    const t = await text(m);
    expect(t).toMatch(/weft_component_memory_bytes\{component_id="adder"[^}]*\} 65536/);
    expect(t).toMatch(/weft_component_instances\{component_id="adder"[^}]*\} 3/);
    expect(asked).toBe(1);
  });

  it('runtime gauges - a failing or missing runtimeStats leaves them empty, the scrape still works', async () => {
    const m = new HostMetrics({ host_id: 'N1' }, false);
    m.runtimeStats = () => Promise.reject(new Error('worker gone'));
    expect(await text(m)).not.toMatch(/weft_component_memory_bytes\{/);
    expect(await text(new HostMetrics({ host_id: 'N2' }, false))).toContain('weft_nats_reconnects_total');
  });

  it('two hosts in one process keep separate registries', async () => {
    const a = new HostMetrics({ host_id: 'A' }, false);
    const b = new HostMetrics({ host_id: 'B' }, false);
    a.observe('x', 'op', 0.001);
    expect(await text(b)).not.toMatch(/weft_invocations_total\{/);
  });
});
