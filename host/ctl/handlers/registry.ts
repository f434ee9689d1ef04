import { decodeRegistryCredentials, dropBadInput, ok } from '../../../lattice/index.ts';
import type { CtlHandler } from '../types.ts';

/**
 * `registry.put` (every host, as in wasmCloud) or `registry.put.{host_id}` (that host only): OCI credentials per
 * registry, kept in this host's memory for its next pulls and replacing earlier ones of the same registry. Neither
 * the reply nor the log names a user, password or token: only the registries.
 */
export const registryPut: CtlHandler = (ctx, req) => {
  if (req.arg !== undefined && req.arg !== ctx.id) return undefined; // addressed to another host
  let creds;
  try {
    creds = decodeRegistryCredentials(req.data);
  } catch (err) {
    dropBadInput(`${ctx.lattice} registry.put`, err); // published without a reply (wasmCloud's way), it is seen only here
    throw err;
  }
  for (const [registry, c] of creds) ctx.registryCredentials.set(registry, c);
  const registries = [...creds.keys()];
  ctx.logger.info({ registries }, 'registry credentials set');
  return ok(undefined, `registry credentials set for ${registries.length ? registries.join(', ') : 'no registry'}`);
};
