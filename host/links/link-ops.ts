import { mergeConfigs, sameLink } from '../../lattice/index.ts';
import type { ConfigStore, DeleteLinkRequest, Link, LinkStore } from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';

// wasmCloud's link identity (source, namespace, package, link name): lattice/provider's sameLink
const sameKey = sameLink;

/**
 * Puts a link on its source's spec with compare-and-set, enforcing wasmCloud's uniqueness rule: one target per
 * (source, namespace, package, link name) for overlapping interfaces; the same key and target replaces.
 * @throws {LatticeError} LAT_NOT_FOUND when a named config is missing.
 * @throws {HostError} HOST_REFUSED when the key is taken by another target.
 */
export async function putLink(store: LinkStore, config: ConfigStore, link: Link): Promise<void> {
  await mergeConfigs(config, [...link.source_config, ...link.target_config], { required: true });
  for (let attempt = 0; attempt < 10; attempt++) {
    const { spec, revision } = await store.getSpecWithRevision(link.source_id);
    const links = spec?.links ?? [];
    const clash = links.find(
      (l) => sameKey(l, link) && l.target !== link.target && l.interfaces.some((i) => link.interfaces.includes(i)),
    );
    if (clash) {
      throw new HostError(
        HostErrorCode.Refused,
        `link already exists with different target: ${link.source_id} → ${clash.target} on ${link.wit_namespace}:${link.wit_package} (link name "${link.name}"); delete it first or use another --link-name`,
      );
    }
    const next = links.filter((l) => !sameKey(l, link)).concat([link]);
    if (await store.putSpec(link.source_id, { url: spec?.url ?? '', links: next }, revision)) return;
  }
  throw new HostError(HostErrorCode.Refused, `too many concurrent changes to the links of ${link.source_id}; retry`);
}

/** Deletes a link (idempotent). @returns the deleted link, if there was one. */
export async function deleteLink(store: LinkStore, req: DeleteLinkRequest): Promise<Link | undefined> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const { spec, revision } = await store.getSpecWithRevision(req.source_id);
    const found = spec?.links.find((l) => sameKey(l, req));
    if (!spec || !found) return undefined;
    if (
      await store.putSpec(req.source_id, { url: spec.url, links: spec.links.filter((l) => !sameKey(l, req)) }, revision)
    )
      return found;
  }
  throw new HostError(HostErrorCode.Refused, `too many concurrent changes to the links of ${req.source_id}; retry`);
}
