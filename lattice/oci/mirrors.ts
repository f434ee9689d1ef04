/**
 * Registry mirrors (`--registry-mirror ghcr.io=localhost:5000`): a reference whose registry has a mirror is pulled
 * from the mirror instead, same repository, tag and digest, so wasmCloud's example manifests
 * (`ghcr.io/wasmcloud/components/…`) run against a local registry. Unlike Docker's `registry-mirrors` there is no
 * fall-back to the original registry: a lattice pointed at a mirror never reaches out past it. Pure: no I/O.
 */
import { OciError, OciErrorCode } from './errors.ts';
import { DOCKER_HUB } from './reference.ts';
import type { OciReference } from './reference.ts';

/** Original registry host → mirror host (`docker.io` for Docker Hub). */
export type RegistryMirrors = Readonly<Record<string, string>>;

const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;

/** `https://index.docker.io/v1/`, `GHCR.io/` → `docker.io`, `ghcr.io` (scheme, path and case dropped). */
export function normalizeRegistryHost(s: string): string {
  const host = s
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB : host;
}

/**
 * Parses `REGISTRY=MIRROR` entries (`ghcr.io=localhost:5000`) into a map; a later entry for a registry wins.
 * @throws {OciError} OCI_BAD_REFERENCE naming the entry that is not `host[:port]=host[:port]`.
 */
export function parseRegistryMirrors(entries: readonly string[]): RegistryMirrors {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf('=');
    const from = normalizeRegistryHost(eq > 0 ? e.slice(0, eq) : '');
    const to = normalizeRegistryHost(eq > 0 ? e.slice(eq + 1) : '');
    if (!HOST.test(from) || !HOST.test(to)) {
      throw new OciError(OciErrorCode.BadReference, `registry mirror "${e}" is not REGISTRY=MIRROR`, {
        ref: e,
        hint: 'write the registry and its mirror as host[:port], e.g. --registry-mirror ghcr.io=localhost:5000',
      });
    }
    out[from] = to;
  }
  return out;
}

/** `r` with its registry replaced by its mirror, or `r` itself when the registry has none. */
export function mirroredReference(r: OciReference, mirrors: RegistryMirrors | undefined): OciReference {
  const to = mirrors?.[normalizeRegistryHost(r.registry)];
  return to && to !== r.registry ? { ...r, registry: to } : r;
}
