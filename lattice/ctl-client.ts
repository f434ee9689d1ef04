import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { CtlResponse } from './envelope.ts';
import { LatticeError, LatticeErrorCode } from './errors.ts';
import { decodeOrDrop, dropBadInput } from './bad-input.ts';
import { decodeCloudEvent } from './events/decode-event.ts';
import type { InvokeOptions } from './rpc/invoke.ts';
import { WadmClient } from './apps/wadm-client.ts';
import { ctlSubject, evtSubject, metricsSubject } from './subjects.ts';
import { decodeHostInfo, decodeHostInventory } from './types/decode-host.ts';
import { decodeMetricsSample } from './types/decode-metrics.ts';
import type { HostMetricsSample } from './types/decode-metrics.ts';
import { decodeLinkValue } from './types/decode-link-spec.ts';
import { parseJson } from './types/limits.ts';
import { isValidId } from './ids.ts';
import type {
  ComponentAuctionAck,
  ComponentAuctionRequest,
  ScaleComponentCommand,
  UpdateComponentCommand,
} from './types/component.ts';
import type { CloudEvent } from './types/event.ts';
import type { HostInfo, HostInventory } from './types/host.ts';
import type { DeleteLinkRequest, Link } from './types/link.ts';
import type { ProviderAuctionRequest, StartProviderCommand, StopProviderCommand } from './types/provider.ts';
import type { RegistryCredentials } from './oci/auth.ts';
import { toLatticeError } from './request-errors.ts';

/** A host's answer to `provider.auction`: it could run the provider. */
export interface ProviderAuctionAck {
  provider_ref: string;
  provider_id: string;
  host_id: string;
}

/** Options of {@link CtlClient}. */
export interface CtlClientOptions {
  /** @default 'default' */
  lattice?: string;
  /** Request timeout in ms. @default 2000 */
  timeoutMs?: number;
  /** Time to collect scatter-gather replies (ping, auctions) after the last one, in ms. @default 500 */
  collectMs?: number;
}

/**
 * Typed client of the control interface: one async method per operation (wasmCloud `control-interface`).
 * Every method throws {@link LatticeError}: LAT_TIMEOUT, LAT_NO_RESPONDERS, LAT_PERMISSION, LAT_CONNECT, or
 * LAT_REFUSED when the host answers `success:false` (the message says why, starting with the host's code).
 */
export class CtlClient {
  readonly #nc: NatsConnection;
  readonly lattice: string;
  readonly #timeout: number;
  readonly #collect: number;

  constructor(nc: NatsConnection, opts: CtlClientOptions = {}) {
    this.#nc = nc;
    this.lattice = opts.lattice ?? 'default';
    this.#timeout = opts.timeoutMs ?? 2000;
    this.#collect = opts.collectMs ?? 500;
  }

  /** Waits until the server has seen everything sent so far (e.g. subscriptions made before a command). */
  async flush(): Promise<void> {
    await this.#nc.flush();
  }

  /** Every host of the lattice (scatter-gather on `host.ping`). */
  async getHosts(): Promise<HostInfo[]> {
    // a forged reply does not spoil the others
    const replies = await this.#gather<unknown>(ctlSubject.hostPing(this.lattice), undefined);
    return replies.flatMap(
      (r) => decodeOrDrop(`${this.lattice} host.ping replies`, () => decodeHostInfo(r, 'host.ping reply')) ?? [],
    );
  }
  /** The inventory of one host. @throws {LatticeError} LAT_BAD_PAYLOAD when the reply is not an inventory. */
  async getHostInventory(hostId: string): Promise<HostInventory> {
    return decodeHostInventory(
      await this.#req<unknown>(ctlSubject.hostGet(this.lattice, hostId), undefined),
      'host.get reply',
    );
  }
  /** Asks a host to stop; `timeoutMs` bounds its drain. Accepted: the host reports `host_stopped`. */
  async stopHost(hostId: string, timeoutMs?: number): Promise<void> {
    await this.#req(ctlSubject.hostStop(this.lattice, hostId), { host_id: hostId, timeout: timeoutMs });
  }
  async putLabel(hostId: string, key: string, value: string): Promise<void> {
    await this.#req(ctlSubject.labelPut(this.lattice, hostId), { key, value });
  }
  /**
   * `registry.put`: OCI registry credentials (`map<registry, {username, password} | {token}>`) kept in memory by
   * the host named (every host when none; then nothing waits for replies). The reply never holds them.
   */
  async putRegistryCredentials(hostId: string | undefined, creds: Record<string, RegistryCredentials>): Promise<void> {
    if (hostId !== undefined) return void (await this.#req(ctlSubject.registryPut(this.lattice, hostId), creds));
    this.#nc.publish(ctlSubject.registryPut(this.lattice), JSON.stringify(creds));
    await this.#nc.flush();
  }
  async deleteLabel(hostId: string, key: string): Promise<void> {
    await this.#req(ctlSubject.labelDel(this.lattice, hostId), { key });
  }
  async putConfig(name: string, values: Record<string, string>): Promise<void> {
    await this.#req(ctlSubject.configPut(this.lattice, name), values);
  }
  /** @throws {LatticeError} LAT_REFUSED when no config of that name exists. */
  async getConfig(name: string): Promise<Record<string, string>> {
    return this.#req<Record<string, string>>(ctlSubject.configGet(this.lattice, name), undefined);
  }
  async deleteConfig(name: string): Promise<void> {
    await this.#req(ctlSubject.configDel(this.lattice, name), undefined);
  }
  /** Claims of every component and provider the lattice has run. */
  async getClaims(): Promise<Record<string, string>[]> {
    return this.#req<Record<string, string>[]>(ctlSubject.claimsGet(this.lattice), undefined);
  }
  /** Scales a component on a host. Accepted-but-async: the outcome is a `component_scaled` / `_failed` event. */
  async scaleComponent(cmd: ScaleComponentCommand): Promise<void> {
    await this.#req(ctlSubject.componentScale(this.lattice, cmd.host_id), cmd);
  }
  /** Live-updates a component. Accepted-but-async: the outcome is a `component_scaled` / `_failed` event. */
  async updateComponent(cmd: UpdateComponentCommand): Promise<void> {
    await this.#req(ctlSubject.componentUpdate(this.lattice, cmd.host_id), cmd);
  }
  /** Hosts that could run a component (labels match `constraints`, id not running there). */
  async auctionComponent(req: ComponentAuctionRequest): Promise<ComponentAuctionAck[]> {
    const acks = await this.#gather<ComponentAuctionAck>(ctlSubject.componentAuction(this.lattice), req);
    return acks.filter(isAck);
  }

  /** Starts a provider. Accepted-but-async: the outcome is a `provider_started` / `provider_start_failed` event. */
  async startProvider(cmd: StartProviderCommand): Promise<void> {
    await this.#req(ctlSubject.providerStart(this.lattice, cmd.host_id), cmd);
  }
  /** Hosts that could run a provider (labels match `constraints`, id not running there), first answer first. */
  async auctionProvider(req: ProviderAuctionRequest): Promise<ProviderAuctionAck[]> {
    const acks = await this.#gather<ProviderAuctionAck>(ctlSubject.providerAuction(this.lattice), req);
    return acks.filter(isAck);
  }
  /** Stops a provider. Accepted-but-async: `provider_stopped` follows. */
  async stopProvider(cmd: StopProviderCommand): Promise<void> {
    await this.#req(ctlSubject.providerStop(this.lattice, cmd.host_id), cmd);
  }

  /** Puts a link; refused (LAT_REFUSED) when a config is missing or the key has another target. */
  async putLink(link: Link): Promise<void> {
    await this.#req(ctlSubject.linkPut(this.lattice), link);
  }
  /** Deletes a link (idempotent). */
  async deleteLink(req: DeleteLinkRequest): Promise<void> {
    await this.#req(ctlSubject.linkDel(this.lattice), req);
  }
  /** Every link on the lattice. */
  async getLinks(): Promise<Link[]> {
    const r = await this.#req<unknown>(ctlSubject.linkGet(this.lattice), undefined);
    if (!Array.isArray(r))
      throw new LatticeError(LatticeErrorCode.BadPayload, 'the link.get reply is not a list of links');
    return r.flatMap(
      (x, i) =>
        decodeOrDrop(`${this.lattice} link.get replies`, () => decodeLinkValue(x, `link.get reply [${i}]`)) ?? [],
    );
  }

  /** Sends a raw JSON payload (or bytes) to any ctl subject and returns the envelope. */
  async requestRaw(subject: string, payload: string | Uint8Array): Promise<CtlResponse> {
    try {
      const msg = await this.#nc.request(subject, payload, { timeout: this.#timeout });
      const env = parseJson(msg.data, `reply on ${subject}`) as CtlResponse | null;
      if (typeof env !== 'object' || env === null || typeof env.success !== 'boolean') {
        throw new LatticeError(
          LatticeErrorCode.BadPayload,
          `the reply on ${subject} is not a control-interface envelope ({success, message, response})`,
        );
      }
      return { ...env, message: typeof env.message === 'string' ? env.message : '' };
    } catch (err) {
      throw await toLatticeError(err, subject);
    }
  }

  /**
   * Subscribes to lattice events (all types, or those listed). Only valid CloudEvents reach `onEvent`
   * ({@link decodeCloudEvent}); a malformed one is dropped with a rate-limited warning, and an error thrown (or a
   * promise rejected) by `onEvent` is reported the same way, so no event can end the process. Stop with
   * `sub.unsubscribe()`.
   */
  subscribeEvents(onEvent: (evt: CloudEvent) => void | Promise<void>, types?: string[]): Subscription[] {
    const subjects = types?.length
      ? types.map((t) => evtSubject.event(this.lattice, t))
      : [evtSubject.all(this.lattice)];
    const where = `${evtSubject.all(this.lattice)}`;
    return subjects.map((s) =>
      this.#nc.subscribe(s, {
        callback: (_err, msg) => {
          const evt = decodeOrDrop(where, () => decodeCloudEvent(msg.data), { subject: msg.subject.slice(0, 200) });
          if (!evt) return;
          try {
            const r = onEvent(evt);
            if (r instanceof Promise)
              r.catch((err: unknown) => dropBadInput(`${where} handler`, err, { subject: msg.subject.slice(0, 200) }));
          } catch (err) {
            dropBadInput(`${where} handler`, err, { subject: msg.subject.slice(0, 200) });
          }
        },
      }),
    );
  }

  /**
   * Calls `operation` (`ns:pkg/iface.func`, or a root export's name) on component or provider `targetId` of this
   * lattice, on this client's connection (`invokeComponent`, loaded on first use: the CLI's `--version` and `--help`
   * load no NATS client code).
   * @throws {WitError} the target answered a WIT error value; {RpcError} its coded failure; {LatticeError}
   *   LAT_NO_RESPONDERS / LAT_TIMEOUT.
   */
  async invoke(targetId: string, operation: string, args: unknown[], opts?: InvokeOptions): Promise<unknown> {
    const { invokeComponent } = await import('./rpc/invoke.ts');
    return invokeComponent(this.#nc, this.lattice, targetId, operation, args, opts);
  }

  /**
   * Subscribes to the hosts' metrics samples (`wasmbus.metrics.{lattice}.*`). Only a valid sample of the host its
   * subject names reaches `onSample` ({@link decodeMetricsSample}); a malformed or forged one is dropped with a
   * rate-limited warning under `where`. Stop with `sub.unsubscribe()`.
   */
  subscribeMetrics(onSample: (s: HostMetricsSample) => void, where = 'metrics samples'): Subscription {
    return this.#nc.subscribe(metricsSubject.all(this.lattice), {
      callback: (_err, m) => {
        const host = metricsSubject.hostOf(m.subject);
        const s = decodeOrDrop(where, () => decodeMetricsSample(sampleJson(m.data), host));
        if (s) onSample(s);
      },
    });
  }

  /** A client of the wadm API (applications) on this client's connection and lattice. */
  wadm(timeoutMs?: number): WadmClient {
    return new WadmClient(this.#nc, { lattice: this.lattice, timeoutMs });
  }

  async #req<T>(subject: string, body: unknown): Promise<T> {
    const env = await this.requestRaw(subject, body === undefined ? '' : JSON.stringify(body));
    if (!env.success) throw new LatticeError(LatticeErrorCode.Refused, env.message || 'request refused');
    return env.response as T;
  }

  async #gather<T>(subject: string, body: unknown): Promise<T[]> {
    const out: T[] = [];
    try {
      const it = await this.#nc.requestMany(subject, body === undefined ? '' : JSON.stringify(body), {
        strategy: 'stall',
        maxWait: this.#timeout,
        stall: this.#collect,
      });
      for await (const msg of it) {
        try {
          const env = msg.json<CtlResponse<T> | null>();
          if (env?.success === true && env.response !== undefined) out.push(env.response);
        } catch {
          // a malformed reply from one host does not spoil the others
        }
      }
    } catch (err) {
      const e = await toLatticeError(err, subject);
      if (e.code !== LatticeErrorCode.NoResponders && e.code !== LatticeErrorCode.Timeout) throw e;
    }
    return out;
  }
}

/** A metrics sample's JSON, parsed without quoting the input in the error (JSON.parse's message echoes it). */
function sampleJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data)) as unknown;
  } catch {
    throw new LatticeError(LatticeErrorCode.BadPayload, 'a metrics sample that is not JSON');
  }
}

// an auction reply names the host the next command goes to: a forged one must not choose a subject
const isAck = (a: unknown): boolean =>
  typeof a === 'object' && a !== null && isValidId((a as { host_id?: unknown }).host_id);
