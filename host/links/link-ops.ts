import type { ConfigStore, DeleteLinkRequest, Link, LinkStore } from '../../lattice/index.ts';
import { HostError, HostErrorCode } from '../errors.ts';

const sameKey = (
  a: Link,
  b: { source_id: string; name: string; wit_namespace: string; wit_package: string },
): boolean =>
  a.source_id === b.source_id &&
  a.name === b.name &&
  a.wit_namespace === b.wit_namespace &&
  a.wit_package === b.wit_package;

/**
 * Puts a link on its source's spec with compare-and-set, enforcing wasmCloud's uniqueness rule: one target per
 * (source, namespace, package, link name) for overlapping interfaces; the same key and target replaces.
 * @throws {HostError} HOST_REFUSED when a named config is missing or the key is taken by another target.
 */
export async function putLink(store: LinkStore, config: ConfigStore, link: Link): Promise<void> {
  for (const name of [...link.source_config, ...link.target_config]) {
    if (!(await config.get(name))) {
      throw new HostError(
        HostErrorCode.Refused,
        `config "${name}" does not exist; create it first with \`weft config put ${name} KEY=VALUE\``,
      );
    }
  }
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
