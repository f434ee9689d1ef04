import { decodeDeleteLink, decodeLink, EventType, fail, ok } from '../../../lattice/index.ts';
import type { LinkStore } from '../../../lattice/index.ts';
import { HostError, HostErrorCode } from '../../errors.ts';
import { deleteLink, putLink } from '../../links/link-ops.ts';
import type { CtlContext, CtlHandler } from '../types.ts';

const storeOf = (ctx: CtlContext): LinkStore => {
  if (!ctx.linkStore) throw new HostError(HostErrorCode.NoLinkStore, `host ${ctx.id} keeps no link store`);
  return ctx.linkStore;
};

/**
 * `link.put`: validates configs and uniqueness, stores the link on the source's spec; `linkdef_set` or
 * `linkdef_set_failed` (with the coded error: HOST_REFUSED for a missing config, a taken key or a missing capability).
 */
export const linkPut: CtlHandler = async (ctx, req) => {
  const link = decodeLink(req.data);
  const store = storeOf(ctx);
  try {
    ctx.checkLinkAllowed(link);
    await putLink(store, ctx.config, link);
  } catch (err) {
    const error = (err as Error).message;
    ctx.publish(EventType.LinkdefSetFailed, { ...link, error });
    return fail(error);
  }
  ctx.publish(EventType.LinkdefSet, { ...link });
  return ok();
};

/** `link.del`: idempotent; `linkdef_deleted` is always published, as wasmCloud does. */
export const linkDel: CtlHandler = async (ctx, req) => {
  const del = decodeDeleteLink(req.data);
  const found = await deleteLink(storeOf(ctx), del);
  ctx.publish(EventType.LinkdefDeleted, {
    ...del,
    ...(found ? { target: found.target, interfaces: found.interfaces } : {}),
  });
  return ok();
};

/** `link.get`: every link on the lattice. */
export const linkGet: CtlHandler = async (ctx) => {
  const specs = await storeOf(ctx).listSpecs();
  return ok([...specs.values()].flatMap((s) => s.links));
};
