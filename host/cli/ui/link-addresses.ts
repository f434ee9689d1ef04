import type { CtlClient, HostInventory, Link } from '../../../lattice/index.ts';

/** A link as the graph draws it: with the address an HTTP server listens on for it, when it is one. */
export interface LinkView extends Link {
  address?: string;
}

const MAX_ADDRESS = 200;

/** True when `id` is an HTTP server provider somewhere (its image ref names http-server). */
function isHttpServer(id: string, hosts: Iterable<HostInventory>): boolean {
  for (const h of hosts)
    for (const p of h.providers) if (p.id === id && /http-server/.test(p.image_ref ?? '')) return true;
  return false;
}

/**
 * Adds to each link whose source is an HTTP server the `address` key of its source configs - the one config value
 * the dashboard shows (never any other): it is what an operator points a browser or load at.
 */
export async function withAddresses(
  ctl: CtlClient,
  links: Link[],
  hosts: Iterable<HostInventory>,
): Promise<LinkView[]> {
  const all = [...hosts];
  return Promise.all(
    links.map(async (l): Promise<LinkView> => {
      if (l.wit_package !== 'http' || !isHttpServer(l.source_id, all)) return l;
      for (const name of l.source_config ?? []) {
        const cfg = await ctl.getConfig(name).catch(() => undefined);
        const a = cfg?.['address'];
        if (typeof a === 'string') return { ...l, address: a.slice(0, MAX_ADDRESS) };
      }
      return l;
    }),
  );
}
