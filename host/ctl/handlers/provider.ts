import {
  decodeProviderAuction,
  decodeStartProvider,
  decodeStopProvider,
  matchesLabels,
  ok,
  parseArtifactRef,
} from '../../../lattice/index.ts';
import { HostError, HostErrorCode } from '../../errors.ts';
import type { CtlHandler } from '../types.ts';

/** `provider.start.{host_id}`: accepted at once; outcome as `provider_started` / `provider_start_failed`. */
export const providerStart: CtlHandler = (ctx, req) => {
  const cmd = decodeStartProvider(req.data);
  parseArtifactRef(cmd.provider_ref);
  void ctx.providers
    .start({ ...cmd, host_id: ctx.id })
    .catch((err: unknown) => ctx.logger.warn({ err: (err as Error).message }, 'provider start failed'));
  return ok(undefined, `starting provider ${cmd.provider_id}`);
};

/** `provider.stop.{host_id}`: accepted at once; `provider_stopped` follows. @throws {HostError} HOST_NOT_FOUND */
export const providerStop: CtlHandler = (ctx, req) => {
  const cmd = decodeStopProvider(req.data);
  if (!ctx.providers.has(cmd.provider_id))
    throw new HostError(HostErrorCode.NotFound, `provider ${cmd.provider_id} is not running on host ${ctx.id}`);
  void ctx.providers
    .stop(cmd.provider_id)
    .catch((err: unknown) => ctx.logger.warn({ err: (err as Error).message }, 'provider stop failed'));
  return ok(undefined, `stopping provider ${cmd.provider_id}`);
};

/** `provider.auction`: hosts whose labels match and that do not run the id answer. */
export const providerAuction: CtlHandler = (ctx, req) => {
  const a = decodeProviderAuction(req.data);
  if (!matchesLabels(ctx.labels, a.constraints) || ctx.providers.has(a.provider_id)) return undefined;
  return ok({ provider_ref: a.provider_ref, provider_id: a.provider_id, host_id: ctx.id });
};
