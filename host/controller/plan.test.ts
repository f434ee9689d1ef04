import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../lattice/apps/index.ts';
import type { Manifest } from '../../lattice/apps/index.ts';
import type { ObservedHost } from './plan.ts';
import { APPSPEC, MANAGED_BY, planApp, splitByWeight, SPREAD } from './plan.ts';

const host = (id: string, labels: Record<string, string> = {}): ObservedHost => ({
  id,
  labels,
  components: [],
  providers: [],
});

function manifest(text: string): Manifest {
  const { manifest: m, problems } = parseManifest(text);
  if (!m) throw new Error(JSON.stringify(problems));
  return m;
}

const app = (traits: string, extra = '') =>
  manifest(`apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: shop }
spec:
  components:
    - name: web
      type: component
      properties: { image: 'file:///web.wasm', config: [{ name: web-cfg, properties: { a: '1' } }] }
      traits: ${traits}
${extra}`);

describe('planApp', () => {
  it('splitByWeight - largest remainder, sums to the total, default weight 100', () => {
    expect(
      splitByWeight(6, [
        { name: 'a', weight: 2 },
        { name: 'b', weight: 1 },
      ] as never),
    ).toEqual([4, 2]);
    expect(splitByWeight(5, [{ name: 'a' }, { name: 'b' }] as never)).toEqual([3, 2]);
    expect(splitByWeight(0, [{ name: 'a' }] as never)).toEqual([0]);
    // all weights 0: equal shares, every instance placed
    expect(
      splitByWeight(5, [
        { name: 'a', weight: 0 },
        { name: 'b', weight: 0 },
      ] as never),
    ).toEqual([3, 2]);
  });

  it('spreadscaler - a spread count is shared evenly over its eligible hosts, annotated as managed', () => {
    const m = app(
      `[{ type: spreadscaler, properties: { instances: 5, spread: [{ name: east, requirements: { zone: east } }] } }]`,
    );
    const plan = planApp('shop', m, [host('N2', { zone: 'east' }), host('N1', { zone: 'east' }), host('N3')]);
    expect(plan.components.map((c) => [c.hostId, c.count])).toEqual([
      ['N1', 3],
      ['N2', 2],
    ]);
    expect(plan.components[0]).toMatchObject({
      id: 'shop_web',
      ref: 'file:///web.wasm',
      annotations: { [MANAGED_BY]: 'weft', [APPSPEC]: 'shop', [SPREAD]: 'east' },
    });
    expect(plan.configs).toEqual([{ name: 'web-cfg', values: { a: '1' } }]);
  });

  it('spreadscaler - no eligible host or no instances: nothing planned', () => {
    const m = app(
      `[{ type: spreadscaler, properties: { instances: 2, spread: [{ name: s, requirements: { gpu: 'yes' } }] } }]`,
    );
    expect(planApp('shop', m, [host('N1'), host('N2', { gpu: 'no' })]).components).toEqual([]);
    expect(
      planApp('shop', app(`[{ type: spreadscaler, properties: { instances: 0 } }]`), [host('N1')]).components,
    ).toEqual([]);
  });

  it('spreadscaler - two spreads landing on one host merge into one entry (a host runs an id once)', () => {
    const m = app(
      `[{ type: spreadscaler, properties: { instances: 4, spread: [{ name: a, requirements: {} }, { name: b, requirements: {} }] } }]`,
    );
    expect(planApp('shop', m, [host('N1')]).components.map((c) => [c.hostId, c.count])).toEqual([['N1', 4]]);
  });

  it('link trait - a link from the component to its target id, with the configs it names', () => {
    const m = app(
      `
        - type: spreadscaler
          properties: { instances: 1 }
        - type: link
          properties:
            target: { name: kv, config: [{ name: kv-cfg, properties: { bucket: b } }] }
            namespace: wasi
            package: keyvalue
            interfaces: [store]`,
      `    - name: kv
      type: capability
      properties: { image: 'weft+builtin://keyvalue-nats', id: kv }
      traits: [{ type: daemonscaler, properties: { instances: 1 } }]`,
    );
    const plan = planApp('shop', m, [host('N1'), host('N2')]);
    expect(plan.links).toEqual([
      {
        source_id: 'shop_web',
        target: 'kv',
        name: 'default',
        wit_namespace: 'wasi',
        wit_package: 'keyvalue',
        interfaces: ['store'],
        source_config: [],
        target_config: ['kv-cfg'],
      },
    ]);
    expect(plan.configs.map((c) => c.name)).toEqual(['web-cfg', 'kv-cfg']);
    expect(plan.providers.map((p) => p.hostId)).toEqual(['N1', 'N2']);
  });

  it('capability spreadscaler - one provider per instance on the first eligible hosts', () => {
    const m = manifest(`apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: p }
spec:
  components:
    - name: http
      type: capability
      properties: { image: 'weft+builtin://http-server' }
      traits: [{ type: spreadscaler, properties: { instances: 2 } }]
`);
    expect(planApp('p', m, [host('N3'), host('N1'), host('N2')]).providers.map((p) => p.hostId)).toEqual(['N1', 'N2']);
  });

  it("capability secrets - a provider's secrets: become SECRET_ configs of its start (HostData secrets), not values", () => {
    const m = manifest(`apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: p }
spec:
  policies:
    - { name: vault, type: policy.secret.wasmcloud.dev/v1alpha1, properties: { backend: weft } }
  components:
    - name: kv
      type: capability
      properties:
        image: 'weft+builtin://keyvalue-redis'
        config: [{ name: kv-cfg, properties: { URL: 'redis://127.0.0.1' } }]
        secrets: [{ name: password, properties: { policy: vault, key: redis-pw } }]
      traits: [{ type: spreadscaler, properties: { instances: 1 } }]
`);
    const plan = planApp('p', m, [host('N1')]);
    expect(plan.providers).toEqual([
      expect.objectContaining({ id: 'p_kv', config: ['kv-cfg', 'SECRET_p_kv_password'] }),
    ]);
    const ref = plan.configs.find((c) => c.name === 'SECRET_p_kv_password')?.values;
    expect(ref).toMatchObject({ backend: 'weft', key: 'redis-pw', type: 'secret.wasmcloud.dev/v1alpha1' });
  });
});
