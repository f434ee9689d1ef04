import {
  asStringMap,
  badIdMessage,
  decodeJsonObject,
  EventType,
  LatticeError,
  LatticeErrorCode,
  isValidId,
  ok,
} from '../../../lattice/index.ts';
import { HostError, HostErrorCode } from '../../errors.ts';
import type { CtlHandler } from '../types.ts';

// one literal subject token (lattice/ids.ts): a '.' would split `config.put.{name}` into more tokens
const checkName = (name: string | undefined): string => {
  if (!isValidId(name)) throw new LatticeError(LatticeErrorCode.BadPayload, badIdMessage('config name', name ?? ''));
  return name;
};

/** `config.put.{name}`: stores a string map in `CONFIGDATA_{lattice}`; publishes `config_set`. */
export const configPut: CtlHandler = async (ctx, req) => {
  const name = checkName(req.arg);
  const values = asStringMap(decodeJsonObject(req.data, 'config put'), `config "${name}"`);
  await ctx.config.put(name, values);
  ctx.publish(EventType.ConfigSet, { config_name: name });
  return ok();
};

/** `config.get.{name}`: the stored map. @throws {HostError} HOST_NOT_FOUND when there is none. */
export const configGet: CtlHandler = async (ctx, req) => {
  const name = checkName(req.arg);
  const values = await ctx.config.get(name);
  if (!values)
    throw new HostError(
      HostErrorCode.NotFound,
      `config "${name}" not found; create it with \`weft config put ${name} KEY=VALUE\``,
    );
  return ok(values);
};

/** `config.del.{name}`: deletes (idempotent); publishes `config_deleted`. */
export const configDel: CtlHandler = async (ctx, req) => {
  const name = checkName(req.arg);
  await ctx.config.del(name);
  ctx.publish(EventType.ConfigDeleted, { config_name: name });
  return ok();
};
