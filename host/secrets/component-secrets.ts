/**
 * The secrets of the components running on this host, fetched when a component starts or is updated, and served to
 * its guest through `wasmcloud:secrets/store.get` (a handle: the secret's name) and `wasmcloud:secrets/reveal`.
 */
import { WitError } from '../../lattice/index.ts';
import { extractJwt } from '../../lattice/wascap/index.ts';
import type { SecretValue } from '../../lattice/secrets/index.ts';
import type { SecretResolver } from './secret-resolver.ts';

const APPSPEC = 'wasmcloud.dev/appspec';

export class ComponentSecrets {
  readonly #resolver: SecretResolver;
  readonly #by = new Map<string, Map<string, SecretValue>>();
  constructor(resolver: SecretResolver) {
    this.#resolver = resolver;
  }

  readonly #jwts = new Map<string, string | undefined>();

  /** Notes the claims JWT of the artifact just verified for component `id` (the one `load` presents). */
  noteArtifact(id: string, bytes: Uint8Array): void {
    this.#jwts.set(id, extractJwt(bytes));
  }

  /**
   * Fetches the secrets a component's config names (`SECRET_…`) before it starts or is updated, presenting the JWT of
   * the artifact verified last for it.
   * @throws {SecretsError} when one cannot be fetched: the start fails with that message.
   */
  async load(id: string, configNames: readonly string[], annotations: Record<string, string> = {}): Promise<void> {
    const got = await this.#resolver.resolve(configNames, {
      id,
      kind: 'component',
      jwt: this.#jwts.get(id),
      application: annotations[APPSPEC],
    });
    this.#by.set(id, got);
  }

  forget(id: string): void {
    this.#by.delete(id);
    this.#jwts.delete(id);
  }

  /** Serves `wasmcloud:secrets/{store,reveal}`; undefined for any other interface. */
  serveImport(id: string, iface: string, func: string, args: unknown[]): Promise<unknown> | undefined {
    if (!iface.startsWith('wasmcloud:secrets/')) return undefined;
    const mine = this.#by.get(id);
    if (iface.startsWith('wasmcloud:secrets/store') && func === 'get') {
      const key = String(args[0]);
      if (!mine?.has(key))
        return Promise.reject(
          new WitError({
            tag: 'upstream',
            val: `secret "${key.slice(0, 128)}" is not one of this component's secrets`,
          }),
        );
      return Promise.resolve(key);
    }
    if (iface.startsWith('wasmcloud:secrets/reveal') && func === 'reveal') {
      const v = mine?.get(String(args[0]));
      if (!v) return Promise.reject(new WitError({ tag: 'io', val: 'secret handle is not valid' }));
      return Promise.resolve(v.tag === 'string' ? { tag: 'string', val: v.val } : { tag: 'bytes', val: v.val });
    }
    return Promise.reject(new WitError({ tag: 'io', val: `unknown function ${func.slice(0, 64)}` }));
  }
}
