import { LatticeError, LatticeErrorCode } from '../errors.ts';
import type { RegistryCredentials } from '../oci/auth.ts';
import { asObject, str } from './limits.ts';

/** Most registries in one `registry.put`. */
export const MAX_REGISTRIES_PER_PUT = 64;

const bad = (msg: string): LatticeError => new LatticeError(LatticeErrorCode.BadPayload, msg);

/** `https://ghcr.io/`, `ghcr.io`, `index.docker.io` → the registry host as references write it (`docker.io` for Docker Hub). */
export function registryHostOf(url: string): string {
  const host = url
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

/**
 * Decodes a `registry.put` payload, `map<registryUrl, {username?, password?, token?, registryType?}>`, into
 * credentials per registry host. Error messages name the registry and the field, never a value.
 * @throws {LatticeError} LAT_BAD_PAYLOAD when not such a map, over {@link MAX_REGISTRIES_PER_PUT} entries, a field
 *   is not a bounded string, a registry has neither a user and password nor a token, or `registryType` is not `oci`.
 */
export function decodeRegistryCredentials(data: Uint8Array | string): Map<string, RegistryCredentials> {
  const w = 'registry.put';
  let v: unknown;
  try {
    v = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
  } catch {
    throw bad(`malformed JSON in ${w}: send a JSON map of registry → {username, password} or {token}`); // JSON.parse's message quotes the input
  }
  const o = asObject(v, w);
  const entries = Object.entries(o);
  if (entries.length > MAX_REGISTRIES_PER_PUT) throw bad(`${w}: more than ${MAX_REGISTRIES_PER_PUT} registries`);
  const out = new Map<string, RegistryCredentials>();
  for (const [url, v] of entries) {
    const host = registryHostOf(url.slice(0, 300));
    if (!/^[a-z0-9.-]{1,253}(:[0-9]{1,5})?$/.test(host))
      throw bad(`${w}: "${url.slice(0, 60)}" is not a registry host[:port]`);
    const what = `${w}: registry ${host}`;
    const c = asObject(v, what);
    const type = str(c, 'registryType', what, 'oci');
    if (type !== 'oci') throw bad(`${what}: registryType must be "oci"`);
    const username = str(c, 'username', what, '');
    const password = str(c, 'password', what, '');
    const token = str(c, 'token', what, '');
    if (token) out.set(host, { token });
    else if (username && c['password'] !== undefined && c['password'] !== null) out.set(host, { username, password });
    else throw bad(`${what}: give "username" and "password", or "token"`);
  }
  return out;
}
