import { decodeHostLabel, fail, ok } from '../../../lattice/index.ts';
import type { CtlHandler } from '../types.ts';

const reserved = (key: string): boolean => key.startsWith('hostcore.');

/** `label.put.{host_id}`: sets a label; `hostcore.*` keys are refused. Publishes `labels_changed`. */
export const labelPut: CtlHandler = (host, req) => {
  const { key, value } = decodeHostLabel(req.data, true);
  if (reserved(key)) return fail(`cannot set label "${key}": keys starting "hostcore." are reserved by the host`);
  host.setLabel(key, value);
  return ok();
};

/** `label.del.{host_id}`: removes a label; `hostcore.*` keys are refused. Publishes `labels_changed`. */
export const labelDel: CtlHandler = (host, req) => {
  const { key } = decodeHostLabel(req.data, false);
  if (reserved(key)) return fail(`cannot delete label "${key}": keys starting "hostcore." are reserved by the host`);
  if (!host.deleteLabel(key)) return fail(`label "${key}" is not set on host ${host.id}`);
  return ok();
};
