import { componentIdOf } from '../../lattice/apps/index.ts';
import type { Manifest, Spread } from '../../lattice/apps/index.ts';
import { matchesLabels } from '../../lattice/index.ts';
import type { Link } from '../../lattice/index.ts';

/** A host as the controller sees it. */
export interface ObservedHost {
  id: string;
  labels: Record<string, string>;
  components: { id: string; image_ref: string; max_instances: number; annotations?: Record<string, string> }[];
  providers: { id: string; image_ref?: string; annotations?: Record<string, string> }[];
}

/** What an application needs on the lattice. */
export interface Plan {
  components: {
    hostId: string;
    id: string;
    ref: string;
    count: number;
    annotations: Record<string, string>;
    /** Its named configs (`SECRET_…` references of `secrets:` among them). */
    config?: string[];
  }[];
  providers: {
    hostId: string;
    id: string;
    ref: string;
    annotations: Record<string, string>;
    /** Its named configs (`SECRET_…` references of `secrets:` among them, resolved as its HostData secrets). */
    config?: string[];
  }[];
  links: Link[];
  configs: { name: string; values: Record<string, string> }[];
}

export const MANAGED_BY = 'wasmcloud.dev/managed-by';
export const APPSPEC = 'wasmcloud.dev/appspec';
export const SPREAD = 'wasmcloud.dev/spread_name';

const matches = (h: ObservedHost, req: Record<string, string>): boolean => matchesLabels(h.labels, req);

/** Splits `total` over spreads by weight (largest remainder), as wadm's spreadscaler does. */
export function splitByWeight(total: number, spreads: Spread[]): number[] {
  const given = spreads.map((s) => s.weight ?? 100);
  // all weights 0: equal shares (with `|| 1` every floor was 0 and only one instance per spread was placed)
  const weights = given.some((w) => w > 0) ? given : given.map(() => 1);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) if (left-- > 0) out[i] = (out[i] ?? 0) + 1;
  return out;
}

/**
 * Computes where an application's components, providers, links and configs go. Component instances of a spread are
 * spread evenly over its eligible hosts (wadm puts a spread's whole count on its first eligible host; weft spreads
 * them so a host loss costs less); providers run on one host per requested instance (daemonscaler: every host).
 */
export function planApp(app: string, m: Manifest, hosts: ObservedHost[]): Plan {
  const plan: Plan = { components: [], providers: [], links: [], configs: [] };
  const sorted = [...hosts].sort((a, b) => a.id.localeCompare(b.id));
  const idOf = new Map(m.spec.components.map((c) => [c.name, componentIdOf(app, c)]));
  for (const c of m.spec.components) {
    const id = idOf.get(c.name) ?? c.name;
    const config = (c.properties.config ?? []).map((x) => x.name);
    for (const cfg of c.properties.config ?? [])
      if (cfg.properties) plan.configs.push({ name: cfg.name, values: cfg.properties });
    for (const t of c.traits ?? []) {
      if (t.type === 'link') {
        const p = t.properties;
        const cfgNames = (list?: { name: string; properties?: Record<string, string> }[]) => {
          for (const x of list ?? []) if (x.properties) plan.configs.push({ name: x.name, values: x.properties });
          return (list ?? []).map((x) => x.name);
        };
        plan.links.push({
          source_id: id,
          target: idOf.get(p.target.name) ?? p.target.name,
          name: p.name ?? 'default',
          wit_namespace: p.namespace,
          wit_package: p.package,
          interfaces: p.interfaces,
          source_config: cfgNames(p.source?.config),
          target_config: cfgNames(p.target.config),
        });
        continue;
      }
      const spreads = t.properties.spread?.length ? t.properties.spread : [{ name: 'default', requirements: {} }];
      const counts =
        t.type === 'daemonscaler'
          ? spreads.map(() => t.properties.instances)
          : splitByWeight(t.properties.instances, spreads);
      spreads.forEach((s, i) => {
        const eligible = sorted.filter((h) => matches(h, s.requirements ?? {}));
        const annotations = { [MANAGED_BY]: 'weft', [APPSPEC]: app, [SPREAD]: s.name };
        const n = counts[i] ?? 0;
        if (c.type === 'capability') {
          const chosen = t.type === 'daemonscaler' ? eligible : eligible.slice(0, n);
          for (const h of chosen)
            plan.providers.push({ hostId: h.id, id, ref: c.properties.image, annotations, config });
        } else if (t.type === 'daemonscaler') {
          for (const h of eligible)
            plan.components.push({ hostId: h.id, id, ref: c.properties.image, count: n, annotations, config });
        } else if (eligible.length && n > 0) {
          eligible.forEach((h, k) => {
            const share = Math.floor(n / eligible.length) + (k < n % eligible.length ? 1 : 0);
            if (share > 0)
              plan.components.push({ hostId: h.id, id, ref: c.properties.image, count: share, annotations, config });
          });
        }
      });
    }
  }
  // one host runs a component id once: merge counts of spreads that land on the same host
  const merged = new Map<string, Plan['components'][number]>();
  for (const x of plan.components) {
    const k = `${x.hostId}|${x.id}`;
    const cur = merged.get(k);
    if (cur) cur.count += x.count;
    else merged.set(k, { ...x });
  }
  plan.components = [...merged.values()];
  return plan;
}
