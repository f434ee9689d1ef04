/**
 * Resolves the `SECRET_…` names among an entity's named configs: reads each reference from the config store and
 * fetches the value from its backend with the entity's JWT and the host's JWT as context. Any failure is a coded
 * error naming the reference and the backend, never a value; the caller fails the start or link with it.
 */
import type { ConfigStore } from '../../lattice/index.ts';
import {
  decodeSecretReference,
  isSecretConfigName,
  SecretsError,
  SecretsErrorCode,
} from '../../lattice/secrets/index.ts';
import type { HostIdentity, SecretsClient, SecretValue } from '../../lattice/secrets/index.ts';

/** The entity secrets are fetched for. */
export interface SecretEntity {
  id: string;
  kind: 'component' | 'provider';
  /** Its claims JWT (a component's embedded one; the host's for a built-in provider). */
  jwt?: string;
  /** The wadm application it belongs to (`wasmcloud.dev/appspec`). */
  application?: string;
}

export interface SecretResolverDeps {
  /** Undefined when the host has no secrets topic. */
  client?: SecretsClient;
  config: ConfigStore;
  identity: HostIdentity;
}

export class SecretResolver {
  readonly #d: SecretResolverDeps;
  constructor(d: SecretResolverDeps) {
    this.#d = d;
  }

  get identity(): HostIdentity {
    return this.#d.identity;
  }

  /** Secrets by the name the entity reads them with; empty when `configNames` holds no `SECRET_…` name. */
  async resolve(configNames: readonly string[], entity: SecretEntity): Promise<Map<string, SecretValue>> {
    const out = new Map<string, SecretValue>();
    const names = configNames.filter(isSecretConfigName);
    if (names.length === 0) return out;
    const what = `${entity.kind} ${entity.id}`;
    if (!this.#d.client)
      throw new SecretsError(
        SecretsErrorCode.NotConfigured,
        `${what} uses secrets (${names.join(', ')}) but this host has no --secrets-topic`,
      );
    if (!entity.jwt)
      throw new SecretsError(
        SecretsErrorCode.NotConfigured,
        `${what} uses secrets but has no claims JWT to present to the backend: sign it (\`weft claims sign\` or \`weft build\`)`,
      );
    for (const name of names) {
      let values: Record<string, string> | undefined;
      try {
        values = await this.#d.config.get(name);
      } catch (err) {
        throw new SecretsError(
          SecretsErrorCode.BadReference,
          `secret reference ${name} of ${what} is unreadable (${(err as Error).message})`,
        );
      }
      if (!values)
        throw new SecretsError(
          SecretsErrorCode.BadReference,
          `secret reference ${name} of ${what} does not exist: create it with \`weft config put ${name} backend=weft key=KEY\``,
        );
      let ref;
      try {
        ref = decodeSecretReference(name, values);
      } catch (err) {
        throw new SecretsError(SecretsErrorCode.BadReference, `${(err as Error).message} (${what})`);
      }
      const got = await this.#d.client.get(ref.backend, {
        key: ref.key,
        field: ref.field,
        version: ref.version,
        context: {
          entity_jwt: entity.jwt,
          host_jwt: this.#d.identity.hostJwt,
          application: { name: entity.application, policy: ref.policy },
          entity_id: entity.id,
          entity_kind: entity.kind,
        },
      });
      out.set(ref.name, got.tag === 'string' ? { tag: 'string', val: got.val } : { tag: 'bytes', val: got.val });
    }
    return out;
  }
}
