import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HostMetrics } from './metrics.ts';

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}
const dashboard = JSON.parse(readFileSync(new URL('../../docs/grafana/weft.json', import.meta.url), 'utf8')) as {
  panels: Panel[];
  templating: { list: { name: string; query: unknown }[] };
};

describe('docs/grafana/weft.json', () => {
  it('queries only metrics a host exports, with the labels it sets', async () => {
    const m = new HostMetrics({ host_id: 'NHOST', lattice: 'default' });
    m.observe('adder', 'add', 0.001, 'COMP_TRAP');
    m.instances.set({ component_id: 'adder' }, 1);
    m.runtimeStats = () => Promise.resolve({ adder: { instances: 1, memoryBytes: 65536 } });
    const text = await m.registry.metrics();
    const exported = new Set([...text.matchAll(/^(weft_[a-z_]+?)(?:\{| )/gm)].map((x) => x[1]));
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    const queries = dashboard.templating.list.map((v) => String((v.query as { query?: string })?.query ?? v.query));
    const used = new Set([...[...exprs, ...queries].join(' ').matchAll(/\bweft_[a-z_]+/g)].map((x) => x[0]));
    expect(used.size).toBeGreaterThan(8);
    for (const name of used) expect(exported, `${name} is not exported by HostMetrics`).toContain(name);
    for (const label of ['host_id="NHOST"', 'lattice="default"', 'component_id="adder"', 'code="COMP_TRAP"'])
      expect(text).toContain(label);
  });

  it('has the panels of weft ui and weft top', () => {
    const titles = dashboard.panels.map((p) => p.title);
    for (const t of ['Invocations/s', 'Errors/s by code', 'Latency p50', 'Latency p99', 'Uptime', 'CPU', 'RSS'])
      expect(titles).toContain(t);
  });
});
