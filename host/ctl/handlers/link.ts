import { decodeDeleteLink, decodeLink, EventType, fail, ok } from '../../../lattice/index.ts';
import { deleteLink, putLink } from '../../links/link-ops.ts';
import type { CtlHandler } from '../types.ts';

/** `link.put`: validates configs and uniqueness, stores the link on the source's spec; `linkdef_set` or `_failed`. */
export const linkPut: CtlHandler = async (host, req) => {
  const link = decodeLink(req.data);
  const store = host.deps.links;
  if (!store) return fail('this host keeps no link store');
  try {
    host.checkLinkAllowed(link);
    await putLink(store, host.deps.config, link);
  } catch (err) {
    const error = (err as Error).message;
    host.publish(EventType.LinkdefSetFailed, { ...link, error });
    return fail(error);
  }
  host.publish(EventType.LinkdefSet, { ...link });
  return ok();
};

/** `link.del`: idempotent; `linkdef_deleted` is always published, as wasmCloud does. */
export const linkDel: CtlHandler = async (host, req) => {
  const del = decodeDeleteLink(req.data);
  const store = host.deps.links;
  if (!store) return fail('this host keeps no link store');
  const found = await deleteLink(store, del);
  host.publish(EventType.LinkdefDeleted, {
    ...del,
    ...(found ? { target: found.target, interfaces: found.interfaces } : {}),
  });
  return ok();
};

/** `link.get`: every link on the lattice. */
export const linkGet: CtlHandler = async (host) => {
  const store = host.deps.links;
  if (!store) return fail('this host keeps no link store');
  const specs = await store.listSpecs();
  return ok([...specs.values()].flatMap((s) => s.links));
};
