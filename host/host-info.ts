import type { ComponentDescription, HostInfo, HostInventory, ProviderDescription } from '../lattice/index.ts';
import { humanUptime } from './uptime.ts';

/** What the ping reply and the inventory are made of (the host, or a test's plain object). */
export interface HostInfoSource {
  readonly id: string;
  readonly lattice: string;
  readonly friendlyName: string;
  readonly labels: Record<string, string>;
  readonly uptimeSeconds: number;
  readonly opts: { version: string; ctlHost?: string; rpcHost?: string; jsDomain?: string };
  listComponents(): ComponentDescription[];
  listProviders(): ProviderDescription[];
}

/** The `host.ping` reply of `h`. */
export function hostInfo(h: HostInfoSource): HostInfo {
  const up = h.uptimeSeconds;
  const info: HostInfo = {
    id: h.id,
    friendly_name: h.friendlyName,
    labels: h.labels,
    lattice: h.lattice,
    version: h.opts.version,
    uptime_seconds: up,
    uptime_human: humanUptime(up),
  };
  if (h.opts.ctlHost) info.ctl_host = h.opts.ctlHost;
  if (h.opts.rpcHost) info.rpc_host = h.opts.rpcHost;
  if (h.opts.jsDomain) info.js_domain = h.opts.jsDomain;
  return info;
}

/** The inventory of `h` (`host.get` reply and heartbeat data). */
export function hostInventory(h: HostInfoSource): HostInventory {
  const up = h.uptimeSeconds;
  return {
    components: h.listComponents(),
    providers: h.listProviders(),
    host_id: h.id,
    friendly_name: h.friendlyName,
    labels: h.labels,
    version: h.opts.version,
    uptime_human: humanUptime(up),
    uptime_seconds: up,
  };
}
