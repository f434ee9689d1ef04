import { LatticeError, LatticeErrorCode, linkKey, openLinkSecrets, withoutSealed } from '../../lattice/index.ts';
import type { HostData, Link, LinkDefinition, ProviderContext, ResolvedLink } from '../../lattice/index.ts';
import { xkeyFromSeed } from '../../lattice/secrets/index.ts';

type Opened = Awaited<ReturnType<NonNullable<ProviderContext['linkSecrets']>>>;

/**
 * The secrets of an external provider process's links: each link definition's `source_secrets`/`target_secrets`,
 * sealed by its host to this start's xkey (HostData `provider_xkey_private_key`, from `host_xkey_public_key`), opened
 * here and kept by `linkKey` for `ProviderContext.linkSecrets(link)`, the same call built-in providers make. Values
 * stay in this process's memory; the links handed on carry no sealed fields.
 */
export class ProcessLinkSecrets {
  readonly #opened = new Map<string, Opened>();
  readonly #open: ((l: LinkDefinition) => Opened) | undefined;

  constructor(hd: HostData) {
    const seed = hd.provider_xkey_private_key;
    const hostXkey = hd.host_xkey_public_key;
    const kp = seed && hostXkey ? xkeyFromSeed(seed) : undefined;
    this.#open = kp && hostXkey ? (l) => openLinkSecrets(kp, hostXkey, l) : undefined;
  }

  /**
   * Opens and keeps a link's secrets; returns the link without them.
   * @throws {LatticeError} LAT_BAD_PAYLOAD when a box does not open (then the link's earlier secrets are dropped).
   */
  take(l: LinkDefinition): ResolvedLink {
    const key = linkKey(l);
    this.#opened.delete(key);
    if (l.source_secrets || l.target_secrets) {
      if (!this.#open)
        throw new LatticeError(
          LatticeErrorCode.BadPayload,
          'link secrets: sent without the HostData xkeys to open them',
        );
      this.#opened.set(key, this.#open(l));
    }
    return withoutSealed(l);
  }

  delete(l: Link): void {
    this.#opened.delete(linkKey(l));
  }

  /** The secrets of `link` (`{}` for a link without). */
  forLink(link: Link): Opened {
    return this.#opened.get(linkKey(link)) ?? {};
  }
}
