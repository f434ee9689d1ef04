import { asStringMap, badIdMessage, decodeJsonObject, EventType, fail, isValidId, ok } from '../../../lattice/index.ts';
import type { CtlHandler } from '../types.ts';

// one literal subject token (lattice/ids.ts): a '.' would split `config.put.{name}` into more tokens
const validName = (name: string | undefined): name is string => isValidId(name);
const badName = (name: string | undefined) => fail(`[LAT_BAD_PAYLOAD] ${badIdMessage('config name', name ?? '')}`);

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
