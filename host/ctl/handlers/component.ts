import {
  decodeComponentAuction,
  decodeScaleComponent,
  decodeUpdateComponent,
  fail,
  ok,
  parseArtifactRef,
} from '../../../lattice/index.ts';
import type { CtlHandler } from '../types.ts';

/**
 * `component.scale.{host_id}`: accepted at once (the ref's syntax is checked first); the outcome is published as
 * `component_scaled` or `component_scale_failed`, as wasmCloud does.
 */
export const componentScale: CtlHandler = (host, req) => {
  const cmd = decodeScaleComponent(req.data);
  if (cmd.count > 0) parseArtifactRef(cmd.component_ref);
  const mgr = host.components;
  if (!mgr) return fail('this host runs no component runtime');
  void mgr
    .scale({ ...cmd, host_id: host.id })
    .catch((err: unknown) => host.logger.warn({ err: (err as Error).message }, 'scale failed'));
  return ok(undefined, `scaling ${cmd.component_id} to ${cmd.count}`);
};

/** `component.update.{host_id}`: accepted at once; outcome as `component_scaled` / `component_scale_failed`. */
export const componentUpdate: CtlHandler = (host, req) => {
  const cmd = decodeUpdateComponent(req.data);
  parseArtifactRef(cmd.new_component_ref);
  const mgr = host.components;
  if (!mgr) return fail('this host runs no component runtime');
  if (!mgr.has(cmd.component_id)) return fail(`component "${cmd.component_id}" is not running on host ${host.id}`);
  void mgr
    .update({ ...cmd, host_id: host.id })
    .catch((err: unknown) => host.logger.warn({ err: (err as Error).message }, 'update failed'));
  return ok(undefined, `updating ${cmd.component_id}`);
};

/** `component.auction`: only hosts whose labels match every constraint and that do not run the id answer. */
export const componentAuction: CtlHandler = (host, req) => {
  const a = decodeComponentAuction(req.data);
  const labels = host.labels;
  const qualifies = Object.entries(a.constraints).every(([k, v]) => labels[k] === v);
  if (!qualifies || !host.components || host.components.has(a.component_id)) return undefined;
  return ok({ component_ref: a.component_ref, component_id: a.component_id, host_id: host.id });
};
