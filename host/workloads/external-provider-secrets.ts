import { sealLinkSecrets } from '../../lattice/index.ts';
import type { LinkDefinition, ProviderContext, ResolvedLink } from '../../lattice/index.ts';
import { newXkey, xkeySeed } from '../../lattice/secrets/index.ts';
import type { XKeyPair } from '../../lattice/secrets/index.ts';

/**
 * The xkeys of one start of an external provider process (wasmCloud's `host_xkey_public_key` /
 * `provider_xkey_private_key`, fresh for each start) and the sealing of its links' secrets: the `SECRET_…` configs of
 * the provider's side, resolved as for built-in providers (`ProviderContext.linkSecrets`), sealed from the host's key
 * to the provider's into `source_secrets`/`target_secrets`. No value leaves this class unsealed.
 */
export class ProviderXkeys {
  readonly #host: XKeyPair = newXkey();
  readonly #provider: XKeyPair = newXkey();

  /** The public xkey of this start's process: its links arrive on `wasmbus.rpc.{lattice}.{xkey}.linkdefs.put`. */
  providerPublicKey(): string {
    return this.#provider.getPublicKey();
  }

  /** The HostData fields of this start. */
  hostDataKeys(): { host_xkey_public_key: string; provider_xkey_private_key: string } {
    return { host_xkey_public_key: this.#host.getPublicKey(), provider_xkey_private_key: xkeySeed(this.#provider) };
  }

  /**
   * The link as sent to the process, its secrets sealed (the link itself when it names none).
   * @throws the resolver's coded error (SECRET_DENIED, SECRET_UNREACHABLE, …), which never quotes a value.
   */
  async seal(link: ResolvedLink, linkSecrets: ProviderContext['linkSecrets']): Promise<LinkDefinition> {
    if (!linkSecrets) return link;
    const s = await linkSecrets(link);
    return { ...link, ...sealLinkSecrets(this.#host, this.#provider.getPublicKey(), s) };
  }
}
