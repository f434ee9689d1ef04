import { describe, expect, it } from 'vitest';
import { hostInfo, hostInventory } from './host-info.ts';
import type { HostInfoSource } from './host-info.ts';

const source = (opts: HostInfoSource['opts']): HostInfoSource => ({
  id: 'NHOST',
  lattice: 'unit',
  friendlyName: 'red-fox-1',
  labels: { zone: 'a' },
  uptimeSeconds: 3723,
  opts,
  listComponents: () => [{ id: 'adder', image_ref: 'file:///a.wasm', max_instances: 1 } as never],
  listProviders: () => [],
});

describe('host info', () => {
  it('hostInfo - the ping reply with wasmCloud uptime text; optional hosts only when set', () => {
    expect(hostInfo(source({ version: '1.2.3' }))).toEqual({
      id: 'NHOST',
      friendly_name: 'red-fox-1',
      labels: { zone: 'a' },
      lattice: 'unit',
      version: '1.2.3',
      uptime_seconds: 3723,
      uptime_human: '1h 2m 3s',
    });
    expect(hostInfo(source({ version: '1', ctlHost: 'c', rpcHost: 'r', jsDomain: 'd' }))).toMatchObject({
      ctl_host: 'c',
      rpc_host: 'r',
      js_domain: 'd',
    });
  });

  it('hostInventory - components, providers and the same identity fields', () => {
    expect(hostInventory(source({ version: '1' }))).toMatchObject({
      host_id: 'NHOST',
      friendly_name: 'red-fox-1',
      components: [{ id: 'adder' }],
      providers: [],
      uptime_seconds: 3723,
    });
  });
});
