import {
  decodeComponentAuction,
  decodeScaleComponent,
  decodeUpdateComponent,
  matchesLabels,
  ok,
  parseArtifactRef,
} from '../../../lattice/index.ts';
import { HostError, HostErrorCode } from '../../errors.ts';
import type { CtlComponents, CtlContext, CtlHandler } from '../types.ts';

const runtimeOf = (ctx: CtlContext): CtlComponents => {
  if (!ctx.components) throw new HostError(HostErrorCode.NoRuntime, `host ${ctx.id} runs no component runtime`);
  return ctx.components;
};

/**
 * `component.scale.{host_id}`: accepted at once (the ref's syntax is checked first); the outcome is published as
 * `component_scaled` or `component_scale_failed`, as wasmCloud does.
 * @throws {LatticeError} LAT_BAD_PAYLOAD for a malformed command or ref; {@link HostError} HOST_NO_RUNTIME.
 */
export const componentScale: CtlHandler = (ctx, req) => {
  const cmd = decodeScaleComponent(req.data);
  if (cmd.count > 0) parseArtifactRef(cmd.component_ref);
  void runtimeOf(ctx)
    .scale({ ...cmd, host_id: ctx.id })
    .catch((err: unknown) => ctx.logger.warn({ err: (err as Error).message }, 'scale failed'));
  return ok(undefined, `scaling ${cmd.component_id} to ${cmd.count}`);
};

/**
 * `component.update.{host_id}`: accepted at once; outcome as `component_scaled` / `component_scale_failed`.
 * @throws {HostError} HOST_NO_RUNTIME; HOST_NOT_FOUND when the component does not run here.
 */
export const componentUpdate: CtlHandler = (ctx, req) => {
  const cmd = decodeUpdateComponent(req.data);
  parseArtifactRef(cmd.new_component_ref);
  const mgr = runtimeOf(ctx);
  if (!mgr.has(cmd.component_id))
    throw new HostError(HostErrorCode.NotFound, `component "${cmd.component_id}" is not running on host ${ctx.id}`);
  void mgr
    .update({ ...cmd, host_id: ctx.id })
    .catch((err: unknown) => ctx.logger.warn({ err: (err as Error).message }, 'update failed'));
  return ok(undefined, `updating ${cmd.component_id}`);
};

/** `component.auction`: only hosts whose labels match every constraint and that do not run the id answer. */
export const componentAuction: CtlHandler = (ctx, req) => {
  const a = decodeComponentAuction(req.data);
  if (!matchesLabels(ctx.labels, a.constraints) || !ctx.components || ctx.components.has(a.component_id))
    return undefined;
  return ok({ component_ref: a.component_ref, component_id: a.component_id, host_id: ctx.id });
};
