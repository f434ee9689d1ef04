import type { HostInfo, HostInventory } from '../lattice/index.ts';
import type { Host } from './host.ts';
import { humanUptime } from './uptime.ts';

/** The `host.ping` reply of `h`. */
export function hostInfo(h: Host): HostInfo {
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
export function hostInventory(h: Host): HostInventory {
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
