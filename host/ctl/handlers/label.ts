import { decodeHostLabel, ok } from '../../../lattice/index.ts';
import { HostError, HostErrorCode } from '../../errors.ts';
import type { CtlHandler } from '../types.ts';

const checkNotReserved = (key: string, verb: string): void => {
  if (key.startsWith('hostcore.'))
    throw new HostError(
      HostErrorCode.Refused,
      `cannot ${verb} label "${key}": keys starting "hostcore." are reserved by the host`,
    );
};

/** `label.put.{host_id}`: sets a label; `hostcore.*` keys are refused (HOST_REFUSED). Publishes `labels_changed`. */
export const labelPut: CtlHandler = (ctx, req) => {
  const { key, value } = decodeHostLabel(req.data, true);
  checkNotReserved(key, 'set');
  ctx.setLabel(key, value);
  return ok();
};

/**
 * `label.del.{host_id}`: removes a label; `hostcore.*` keys are refused (HOST_REFUSED), a label that is not set is
 * HOST_NOT_FOUND. Publishes `labels_changed`.
 */
export const labelDel: CtlHandler = (ctx, req) => {
  const { key } = decodeHostLabel(req.data, false);
  checkNotReserved(key, 'delete');
  if (!ctx.deleteLabel(key)) throw new HostError(HostErrorCode.NotFound, `label "${key}" is not set on host ${ctx.id}`);
  return ok();
};
