import type {
  ClaimsStore,
  ConfigStore,
  CtlResponse,
  HostInfo,
  HostInventory,
  Link,
  LinkStore,
  RegistryCredentials,
  ScaleComponentCommand,
  StartProviderCommand,
  UpdateComponentCommand,
} from '../../lattice/index.ts';
import type { Logger } from '../logger.ts';

/** Who answers a control subject: only the host named in the subject, every host, or one host of a queue group. */
export type CtlScope = 'host' | 'broadcast' | 'queue';

/** A control request after routing. */
export interface CtlRequest {
  subject: string;
  data: Uint8Array;
  /** The subject's trailing argument (host id, config name), if any. */
  arg: string | undefined;
}

/** What a ctl handler may do with the components of a host (the host's component manager). */
export interface CtlComponents {
  has(id: string): boolean;
  /** Accepted-but-async: resolves when done; the outcome is also published as an event. */
  scale(cmd: ScaleComponentCommand): Promise<void>;
  update(cmd: UpdateComponentCommand): Promise<void>;
}

/** What a ctl handler may do with the providers of a host (the host's provider manager). */
export interface CtlProviders {
  has(id: string): boolean;
  start(cmd: StartProviderCommand): Promise<void>;
  stop(id: string): Promise<void>;
}

/**
 * The ctl handlers' only view of a host: `Host` implements it, unit tests fake it over the `lattice/memory/`
 * twins. Handlers never see the host's wiring (NATS connections, runtime, options).
 */
export interface CtlContext {
  readonly id: string;
  readonly lattice: string;
  /** A copy: changing it changes nothing; use {@link CtlContext.setLabel}. */
  readonly labels: Record<string, string>;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Undefined when the host runs no component runtime. */
  readonly components: CtlComponents | undefined;
  readonly providers: CtlProviders;
  readonly config: ConfigStore;
  /** Undefined when the host keeps no link store. */
  readonly linkStore: LinkStore | undefined;
  readonly claims: ClaimsStore;
  /** OCI credentials by registry host, read by the host's next pulls. */
  readonly registryCredentials: Map<string, RegistryCredentials>;
  /** Publishes a lattice event from this host. */
  publish(type: string, data: Record<string, unknown>): void;
  /** Sets a label and publishes `labels_changed`. */
  setLabel(key: string, value: string): void;
  /** Deletes a label (false when it was not set) and publishes `labels_changed`. */
  deleteLabel(key: string): boolean;
  /** @throws {HostError} HOST_REFUSED when the link's source runs here without the capability. */
  checkLinkAllowed(link: Link): void;
  /** The `host.ping` reply. */
  info(): HostInfo;
  /** The `host.get` reply. */
  inventory(): HostInventory;
  stop(opts: { reason?: string; timeoutMs?: number }): Promise<void>;
}

/**
 * A handler returns the envelope, or undefined to stay silent (e.g. an auction this host does not qualify for). A
 * coded error it throws ({@link HostError}, {@link LatticeError}) becomes a `success:false` reply with its message.
 */
export type CtlHandler = (
  ctx: CtlContext,
  req: CtlRequest,
) => Promise<CtlResponse | undefined> | CtlResponse | undefined;

/** One row of the routing table. */
export interface CtlRoute {
  scope: CtlScope;
  handler: CtlHandler;
}
