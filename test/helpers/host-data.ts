/** HostData for tests: what a host writes to a provider process's stdin, with `extra` over the defaults. */
import type { HostData } from '../../lattice/index.ts';

export function hostDataOf(extra: Partial<HostData> = {}): HostData {
  return {
    host_id: 'H1',
    lattice_rpc_prefix: 'l1',
    lattice_rpc_url: 'nats://127.0.0.1:4222',
    provider_key: 'p1',
    instance_id: 'i1',
    link_name: 'default',
    config: {},
    link_definitions: [],
    default_rpc_timeout_ms: 2000,
    log_level: 'info',
    ...extra,
  };
}
