import { asStringMap, decodeJsonObject, EventType, fail, ok } from '../../../lattice/index.ts';
import type { CtlHandler } from '../types.ts';

const validName = (name: string | undefined): name is string => !!name && /^[A-Za-z0-9_.-]+$/.test(name);
const badName = (name: string | undefined) =>
  fail(`config name "${name ?? ''}" is missing or invalid: use letters, digits, '_', '-' or '.'`);

/** `config.put.{name}`: stores a string map in `CONFIGDATA_{lattice}`; publishes `config_set`. */
export const configPut: CtlHandler = async (host, req) => {
  if (!validName(req.arg)) return badName(req.arg);
  const values = asStringMap(decodeJsonObject(req.data, 'config put'), `config "${req.arg}"`);
  await host.deps.config.put(req.arg, values);
  host.publish(EventType.ConfigSet, { config_name: req.arg });
  return ok();
};

/** `config.get.{name}`: the stored map; `success:false` when there is none. */
export const configGet: CtlHandler = async (host, req) => {
  if (!validName(req.arg)) return badName(req.arg);
  const values = await host.deps.config.get(req.arg);
  return values ? ok(values) : fail(`config "${req.arg}" not found`);
};

/** `config.del.{name}`: deletes (idempotent); publishes `config_deleted`. */
export const configDel: CtlHandler = async (host, req) => {
  if (!validName(req.arg)) return badName(req.arg);
  await host.deps.config.del(req.arg);
  host.publish(EventType.ConfigDeleted, { config_name: req.arg });
  return ok();
};
