/**
 * OCI image references as wasmCloud (through oci-client) and Docker read them:
 * `[oci://][registry[:port]/]repo[/more][:tag][@sha256:hex]`. Normalisation follows distribution's `reference`
 * package (docker-style): the first path part is a registry only if it holds a `.` or a `:` or is `localhost`;
 * otherwise the registry is `docker.io`, where a one-part repository gets `library/`; `index.docker.io` is
 * `docker.io`; no tag and no digest means `latest`. Pure: no I/O.
 */
import { OciError, OciErrorCode } from './errors.ts';

/** A parsed, normalised reference. */
export interface OciReference {
  /** Registry host as written (`ghcr.io`, `localhost:5000`, `docker.io` for Docker Hub). */
  registry: string;
  /** Repository path, lower case (`wasmcloud/components/http-hello-world-rust`, `library/hello`). */
  repository: string;
  /** Tag; `latest` when neither tag nor digest was given, `undefined` when only a digest was. */
  tag: string | undefined;
  /** `sha256:<64 hex>` (or `sha512:<128 hex>`) when pinned. */
  digest: string | undefined;
}

export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_API = 'registry-1.docker.io';
const MAX_NAME = 255;

// distribution/reference grammar (reference/regexp.go), anchored per part.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGESTS: Record<string, RegExp> = { sha256: /^[a-f0-9]{64}$/, sha512: /^[a-f0-9]{128}$/ };

const bad = (ref: string, why: string): OciError =>
  new OciError(OciErrorCode.BadReference, `bad OCI reference "${ref}": ${why}`, {
    ref,
    reason: why,
    hint: 'write registry[:port]/repository[:tag][@sha256:digest], e.g. ghcr.io/wasmcloud/components/http-hello-world-rust:0.1.0 or localhost:5000/adder:0.1.0',
  });

/**
 * Parses and normalises a reference (an `oci://` prefix is dropped).
 * @throws {OciError} OCI_BAD_REFERENCE naming the part that is wrong.
 */
export function parseOciReference(input: string): OciReference {
  const ref = input.trim();
  let rest = ref.startsWith('oci://') ? ref.slice('oci://'.length) : ref;
  if (!rest) throw bad(input, 'empty reference');
  if (/\s/.test(rest)) throw bad(input, 'contains white space');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(rest)) throw bad(input, 'only the oci:// scheme is an OCI reference');

  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const [alg, hex, extra] = digest.split(':');
    if (extra !== undefined || !alg || hex === undefined) throw bad(input, `digest "${digest}" is not algorithm:hex`);
    const re = DIGESTS[alg];
    if (!re) throw bad(input, `digest algorithm "${alg}" is not supported (sha256 or sha512)`);
    if (!re.test(hex))
      throw bad(input, `digest "${digest}" is not ${alg === 'sha256' ? 64 : 128} lower-case hex digits`);
  }

  let registry = DOCKER_HUB;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      if (!DOMAIN.test(first)) throw bad(input, `registry "${first}" is not a host name with an optional :port`);
      registry = first === 'index.docker.io' ? DOCKER_HUB : first;
      rest = rest.slice(slash + 1);
    }
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag))
      throw bad(input, `tag "${tag}" may hold only letters, digits, _ . - (at most 128, not starting with . or -)`);
  }
  if (!rest) throw bad(input, 'missing repository name');
  const parts = rest.split('/');
  for (const p of parts) {
    if (!PATH_COMPONENT.test(p)) {
      const why =
        p !== p.toLowerCase() ? 'must be lower case' : 'may hold only a-z, 0-9 and single separators . _ __ -';
      throw bad(input, `repository part "${p}" ${why}`);
    }
  }
  let repository = rest;
  if (registry === DOCKER_HUB && parts.length === 1) repository = `library/${repository}`;
  if (`${registry}/${repository}`.length > MAX_NAME) throw bad(input, `name is longer than ${MAX_NAME} characters`);
  if (tag === undefined && digest === undefined) tag = 'latest';
  return { registry, repository, tag, digest };
}

/** The canonical string: `registry/repository[:tag][@digest]` (no scheme). */
export function formatOciReference(r: OciReference): string {
  return `${r.registry}/${r.repository}${r.tag !== undefined ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/** The same reference pinned to `digest` (the tag is kept for display). */
export function withDigest(r: OciReference, digest: string): OciReference {
  return { ...r, digest };
}

/** Host:port the registry API is served on (`docker.io` → `registry-1.docker.io`). */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}

/** True for hosts that may speak plain HTTP without being allowed explicitly: `localhost` and `127.0.0.1` (any port). */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.replace(/:[0-9]+$/, '');
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/**
 * Whether a string without a scheme looks like an OCI reference rather than a path or a bare word: it has a
 * registry-like first part (`ghcr.io/…`, `localhost:5000/…`) or a digest. Bare names such as `adder:0.1.0`
 * would be Docker Hub images; they are only read as OCI with an explicit `oci://` or registry.
 */
export function looksLikeOciReference(ref: string): boolean {
  if (ref.startsWith('oci://')) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || ref.startsWith('/') || ref.startsWith('.')) return false;
  const slash = ref.indexOf('/');
  if (slash <= 0) return false;
  const first = ref.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost';
}
