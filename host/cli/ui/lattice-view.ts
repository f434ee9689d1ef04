import type { WadmClient } from '../../../lattice/apps/index.ts';
import { decodeHeartbeat, decodeOrDrop, dropBadInput, eventKind } from '../../../lattice/index.ts';
import type { CloudEvent, CtlClient, HostInfo, HostInventory, HostMetricsSample } from '../../../lattice/index.ts';
import { EventLog, GUEST_FAULT_CODES } from './event-log.ts';
import type { EventLogView, LoggedEvent } from './event-log.ts';
import { withAddresses } from './link-addresses.ts';
import type { LinkView } from './link-addresses.ts';
import { TrafficHistory } from './traffic.ts';
import type { TrafficModel } from './traffic.ts';

/** One host as the dashboard shows it. */
export interface HostView extends HostInventory {
  lattice: string;
  last_seen: string;
}

/** An application row (from the wadm-compatible API when a controller runs). */
export interface AppView {
  name: string;
  version?: string;
  status?: string;
  message?: string;
}

/** Everything the dashboard draws. */
export interface LatticeSnapshot {
  lattice: string;
  hosts: HostView[];
  links: LinkView[];
  apps: AppView[];
  events: EventLogView;
  /** The charts' data (absent in the `state` frames of the stream: `traffic` frames carry it). */
  traffic?: TrafficModel;
}

/** What a listener gets: a snapshot after a change, a logged event, or new chart data. */
export type ViewUpdate = 'state' | 'event' | 'traffic';

/** Fewest ms between two `traffic` frames (every host's sample would otherwise send one). */
const TRAFFIC_FRAME_MS = 500;

/**
 * Keeps a live model of the lattice for the dashboard: hosts from ping + heartbeats, inventories refreshed on
 * component/provider events, links refreshed on linkdef events, the most recent events.
 */
export class LatticeView {
  readonly #ctl: CtlClient;
  readonly #hosts = new Map<string, HostView>();
  #links: LinkView[] = [];
  #apps: AppView[] = [];
  readonly #log = new EventLog();
  readonly #traffic = new TrafficHistory();
  #trafficTimer: NodeJS.Timeout | undefined;
  readonly #listeners = new Set<(kind: ViewUpdate, payload: unknown) => void>();
  #subs: { unsubscribe(): void }[] = [];
  #appsLoader: (() => Promise<AppView[]>) | undefined;
  #appsGen = 0;
  #appsApplied = 0;

  readonly #wadm: WadmClient | undefined;

  /** `wadm` (when given) tells when an application's status changed, so `appsLoader` runs at once. */
  constructor(ctl: CtlClient, appsLoader?: () => Promise<AppView[]>, wadm?: WadmClient) {
    this.#ctl = ctl;
    this.#appsLoader = appsLoader;
    this.#wadm = wadm;
  }

  /** Follows the lattice; malformed events are dropped by the CtlClient and a failing refresh is only reported. */
  async start(): Promise<void> {
    this.#subs = this.#ctl.subscribeEvents((e) => this.#onEvent(e));
    // application status changes (wadm.status.{lattice}.{app}) refresh the applications at once
    if (this.#wadm)
      this.#subs.push(
        this.#wadm.subscribeStatus(
          () => void this.#refreshApps().catch((err: unknown) => dropBadInput('dashboard app refresh', err)),
        ),
      );
    this.#subs.push(this.#ctl.subscribeMetrics((s) => this.#onSample(s), 'dashboard metrics samples'));
    await this.refresh();
  }

  stop(): void {
    for (const s of this.#subs) s.unsubscribe();
    clearTimeout(this.#trafficTimer);
  }

  /**
   * Calls `fn` with `('state', snapshot)` after every change, `('event', logged)` for each event that is not
   * routine, and `('traffic', model)` after new metrics samples (at most every 500 ms).
   */
  subscribe(fn: (kind: ViewUpdate, payload: unknown) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Everything the page draws; without the chart data when `traffic` is false. */
  snapshot(traffic = true): LatticeSnapshot {
    return {
      lattice: this.#ctl.lattice,
      hosts: [...this.#hosts.values()].sort((a, b) => a.friendly_name.localeCompare(b.friendly_name)),
      links: this.#links,
      apps: this.#apps,
      events: this.#log.view(),
      ...(traffic ? { traffic: this.#traffic.model() } : {}),
    };
  }

  /** The charts' data now. */
  traffic(): TrafficModel {
    return this.#traffic.model();
  }

  /** The traffic history (`weft top` reads its latest figures). */
  get history(): TrafficHistory {
    return this.#traffic;
  }

  /** Re-reads everything through the control interface. */
  async refresh(): Promise<void> {
    const infos = await this.#ctl.getHosts().catch(() => [] as HostInfo[]);
    const seen = new Set<string>();
    await Promise.all(
      infos.map(async (h) => {
        seen.add(h.id);
        await this.#refreshHost(h.id, h.lattice);
      }),
    );
    for (const id of this.#hosts.keys()) if (!seen.has(id)) this.#forgetHost(id);
    await this.#refreshLinks();
    await this.#loadApps();
    this.#emit('state', this.snapshot(false));
  }

  /** Loads the applications; a load that started before another one finished is dropped (no stale status). */
  async #loadApps(): Promise<void> {
    if (!this.#appsLoader) return;
    const gen = ++this.#appsGen;
    const apps = await this.#appsLoader().catch(() => undefined);
    if (apps && gen > this.#appsApplied) {
      this.#appsApplied = gen;
      this.#apps = apps;
    }
  }

  async #refreshHost(id: string, lattice = this.#ctl.lattice): Promise<void> {
    const inv = await this.#ctl.getHostInventory(id).catch(() => undefined);
    if (inv) this.#hosts.set(id, { ...inv, lattice, last_seen: new Date().toISOString() });
  }

  async #refreshLinks(): Promise<void> {
    const links = await this.#ctl.getLinks().catch(() => undefined);
    if (links) this.#links = await withAddresses(this.#ctl, links, this.#hosts.values());
  }

  #forgetHost(id: string): void {
    this.#hosts.delete(id);
    this.#traffic.removeHost(id);
    this.#log.forgetHost(id);
  }

  /** A metrics sample: kept only from a host the dashboard knows (a stopped host's late sample is not brought back). */
  /** A valid sample (malformed and forged ones are dropped by the CtlClient). */
  #onSample(s: HostMetricsSample): void {
    if (!this.#hosts.has(s.host_id)) return;
    this.#traffic.add(s);
    this.#guestFaults(s, this.#traffic.previous(s.host_id));
    if (this.#trafficTimer) return;
    this.#trafficTimer = setTimeout(() => {
      this.#trafficTimer = undefined;
      this.#emit('traffic', this.#traffic.model());
    }, TRAFFIC_FRAME_MS);
    this.#trafficTimer.unref();
  }

  /** Guest faults (traps, timeouts, lost workers) since the previous sample go to the failures, as no event says so. */
  #guestFaults(s: HostMetricsSample, prev: HostMetricsSample | undefined): void {
    if (!prev) return;
    const before = new Map(prev.components.map((c) => [c.id, c.errors]));
    for (const c of s.components)
      for (const [code, n] of Object.entries(c.errors)) {
        const d = n - (before.get(c.id)?.[code] ?? 0);
        if (d > 0 && GUEST_FAULT_CODES.has(code))
          this.#emit('event', this.#log.addGuestFault(s.host_id, c.id, code, d));
      }
  }

  async #onEvent(e: CloudEvent): Promise<void> {
    const logged: LoggedEvent | undefined = this.#log.add(e);
    if (logged) this.#emit('event', logged);
    const type = eventKind(e);
    if (type === 'host_heartbeat') {
      const inv = decodeOrDrop('dashboard heartbeats', () => decodeHeartbeat(e));
      if (!inv) return;
      this.#hosts.set(e.source, { ...inv, lattice: this.#ctl.lattice, last_seen: e.time });
    } else if (type === 'host_stopped') {
      this.#forgetHost(e.source);
    } else if (type.startsWith('linkdef_') || type === 'config_set') {
      await this.#refreshLinks();
    } else if (
      type === 'host_started' ||
      type.startsWith('component_') ||
      type.startsWith('provider_') ||
      type === 'labels_changed'
    ) {
      await this.#refreshHost(e.source);
      if (type === 'provider_started') await this.#refreshLinks(); // an HTTP server's links gain their address
    }
    if (type.startsWith('component_') || type === 'host_heartbeat') await this.#loadApps();
    this.#emit('state', this.snapshot(false));
  }

  async #refreshApps(): Promise<void> {
    await this.#loadApps();
    this.#emit('state', this.snapshot(false));
  }

  #emit(kind: ViewUpdate, payload: unknown): void {
    for (const l of this.#listeners) l(kind, payload);
  }
}
