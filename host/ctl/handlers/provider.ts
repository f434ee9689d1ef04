import {
  decodeProviderAuction,
  decodeStartProvider,
  decodeStopProvider,
  fail,
  ok,
  parseArtifactRef,
} from '../../../lattice/index.ts';
import type { CtlHandler } from '../types.ts';

/** `provider.start.{host_id}`: accepted at once; outcome as `provider_started` / `provider_start_failed`. */
export const providerStart: CtlHandler = (host, req) => {
  const cmd = decodeStartProvider(req.data);
  parseArtifactRef(cmd.provider_ref);
  void host.providers
    .start({ ...cmd, host_id: host.id })
    .catch((err: unknown) => host.logger.warn({ err: (err as Error).message }, 'provider start failed'));
  return ok(undefined, `starting provider ${cmd.provider_id}`);
};

/** `provider.stop.{host_id}`: accepted at once; `provider_stopped` follows. */
export const providerStop: CtlHandler = (host, req) => {
  const cmd = decodeStopProvider(req.data);
  if (!host.providers.has(cmd.provider_id))
    return fail(`provider ${cmd.provider_id} is not running on host ${host.id}`);
  void host.providers
    .stop(cmd.provider_id)
    .catch((err: unknown) => host.logger.warn({ err: (err as Error).message }, 'provider stop failed'));
  return ok(undefined, `stopping provider ${cmd.provider_id}`);
};

/** `provider.auction`: hosts whose labels match and that do not run the id answer. */
export const providerAuction: CtlHandler = (host, req) => {
  const a = decodeProviderAuction(req.data);
  const labels = host.labels;
  if (!Object.entries(a.constraints).every(([k, v]) => labels[k] === v) || host.providers.has(a.provider_id))
    return undefined;
  return ok({ provider_ref: a.provider_ref, provider_id: a.provider_id, host_id: host.id });
};
