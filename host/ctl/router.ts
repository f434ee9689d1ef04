import { componentAuction, componentScale, componentUpdate } from './handlers/component.ts';
import { linkDel, linkGet, linkPut } from './handlers/link.ts';
import { providerAuction, providerStart, providerStop } from './handlers/provider.ts';
import { claimsGet } from './handlers/claims.ts';
import { configDel, configGet, configPut } from './handlers/config.ts';
import { hostGet, hostPing, hostStop } from './handlers/host.ts';
import { labelDel, labelPut } from './handlers/label.ts';
import { registryPut } from './handlers/registry.ts';
import type { CtlRoute } from './types.ts';

/**
 * THE table of control subjects (`{resource}.{op}` after `wasmbus.ctl.v1.{lattice}.`) → handler, mirroring
 * wasmCloud's `crates/host/src/nats/ctl.rs`. Every feature adds its rows here.
 */
export const ctlRoutes: Map<string, CtlRoute> = new Map<string, CtlRoute>([
  ['host.ping', { scope: 'broadcast', handler: hostPing }],
  ['host.get', { scope: 'host', handler: hostGet }],
  ['host.stop', { scope: 'host', handler: hostStop }],
  ['label.put', { scope: 'host', handler: labelPut }],
  ['label.del', { scope: 'host', handler: labelDel }],
  ['config.put', { scope: 'queue', handler: configPut }],
  ['config.get', { scope: 'queue', handler: configGet }],
  ['config.del', { scope: 'queue', handler: configDel }],
  ['claims.get', { scope: 'queue', handler: claimsGet }],
  ['link.put', { scope: 'queue', handler: linkPut }],
  ['link.del', { scope: 'queue', handler: linkDel }],
  ['link.get', { scope: 'queue', handler: linkGet }],
  ['provider.start', { scope: 'host', handler: providerStart }],
  ['provider.stop', { scope: 'host', handler: providerStop }],
  ['provider.auction', { scope: 'broadcast', handler: providerAuction }],
  ['component.scale', { scope: 'host', handler: componentScale }],
  ['component.update', { scope: 'host', handler: componentUpdate }],
  ['component.auction', { scope: 'broadcast', handler: componentAuction }],
  ['registry.put', { scope: 'broadcast', handler: registryPut }],
]);

/** Resources answered by one host of a queue group rather than by every host. */
export const QUEUE_RESOURCES = ['link', 'config', 'claims'] as const;
