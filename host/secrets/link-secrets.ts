/**
 * The secrets of providers: those of links delivered to them (wasmCloud's `source_secrets`/`target_secrets`), the
 * `SECRET_…` names among a link's source and target configs, and their own (wasmCloud's HostData `secrets`), the
 * `SECRET_…` names among the configs of their start; each fetched with the provider's identity. weft's providers
 * (built-in or `file://`) have no signed claims, so the host's account issues each a provider JWT. Link secrets are
 * fetched afresh when a link is put (delivered) and reused for 30 s by later calls (README: Rotation); a provider's
 * own at each start.
 */
import { builtinProviderJwt, isSecretConfigName } from '../../lattice/secrets/index.ts';
import type { SecretValue } from '../../lattice/secrets/index.ts';
import type { Link } from '../../lattice/index.ts';
import type { SecretResolver } from './secret-resolver.ts';

/** What a provider receives besides the link's config values. */
export interface LinkSecretValues {
  source_secrets?: Record<string, SecretValue>;
  target_secrets?: Record<string, SecretValue>;
}

const TTL_MS = 30_000;

export class LinkSecrets {
  readonly #resolver: SecretResolver;
  readonly #jwts = new Map<string, string>();
  readonly #cache = new Map<string, { at: number; value: Promise<LinkSecretValues> }>();
  constructor(resolver: SecretResolver) {
    this.#resolver = resolver;
  }

  /** The provider JWT the host issued for built-in provider `providerId` (one per id and host start). */
  providerJwt(providerId: string): string {
    let j = this.#jwts.get(providerId);
    if (!j) this.#jwts.set(providerId, (j = builtinProviderJwt(this.#resolver.identity, providerId)));
    return j;
  }

  /**
   * A provider's own secrets: the `SECRET_…` names among `configNames` (its start's configs), fetched fresh.
   * @throws {SecretsError} when one cannot be fetched (the start fails with it; it never quotes a value).
   */
  async forProvider(
    configNames: readonly string[],
    providerId: string,
    application?: string,
  ): Promise<Record<string, SecretValue>> {
    if (!configNames.some(isSecretConfigName)) return {};
    const entity = { id: providerId, kind: 'provider' as const, jwt: this.providerJwt(providerId), application };
    return Object.fromEntries(await this.#resolver.resolve(configNames, entity));
  }

  /** True when the link names secrets at all (no backend is asked otherwise). */
  static uses(link: Link): boolean {
    return link.source_config.some(isSecretConfigName) || link.target_config.some(isSecretConfigName);
  }

  /**
   * The link's secrets for `providerId` (the side it is on). `fresh` skips the cache (a link put).
   * @throws {SecretsError} when one cannot be fetched.
   */
  forLink(link: Link, providerId: string, fresh = false): Promise<LinkSecretValues> {
    if (!LinkSecrets.uses(link)) return Promise.resolve({});
    const key = `${providerId}|${link.source_id}|${link.target}|${link.name}|${link.wit_namespace}:${link.wit_package}|${link.source_config.join(',')}|${link.target_config.join(',')}`;
    const hit = this.#cache.get(key);
    if (hit && !fresh && Date.now() - hit.at < TTL_MS) return hit.value;
    const entity = { id: providerId, kind: 'provider' as const, jwt: this.providerJwt(providerId) };
    const side = async (names: string[]): Promise<Record<string, SecretValue> | undefined> => {
      if (!names.some(isSecretConfigName)) return undefined;
      return Object.fromEntries(await this.#resolver.resolve(names, entity));
    };
    const value = (async () => {
      const [s, t] = await Promise.all([
        link.source_id === providerId ? side(link.source_config) : undefined,
        link.target === providerId ? side(link.target_config) : undefined,
      ]);
      return { ...(s ? { source_secrets: s } : {}), ...(t ? { target_secrets: t } : {}) };
    })();
    this.#cache.set(key, { at: Date.now(), value });
    value.catch(() => this.#cache.delete(key));
    return value;
  }
}
