import { wadmSubject } from '../../../lattice/apps/index.ts';
import { decodeHeartbeat, decodeOrDrop, dropBadInput, eventKind } from '../../../lattice/index.ts';
import type { CloudEvent, CtlClient, HostInfo, HostInventory, Link } from '../../../lattice/index.ts';

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
  links: Link[];
  apps: AppView[];
  events: CloudEvent[];
}

const MAX_EVENTS = 200;
const MAX_EVENT_DATA = 16 * 1024;

/**
 * Keeps a live model of the lattice for the dashboard: hosts from ping + heartbeats, inventories refreshed on
 * component/provider events, links refreshed on linkdef events, the most recent events.
 */
export class LatticeView {
  readonly #ctl: CtlClient;
  readonly #hosts = new Map<string, HostView>();
  #links: Link[] = [];
  #apps: AppView[] = [];
  readonly #events: CloudEvent[] = [];
  readonly #listeners = new Set<(kind: 'state' | 'event', payload: unknown) => void>();
  #subs: { unsubscribe(): void }[] = [];
  #appsLoader: (() => Promise<AppView[]>) | undefined;
  #appsGen = 0;
  #appsApplied = 0;

  constructor(ctl: CtlClient, appsLoader?: () => Promise<AppView[]>) {
    this.#ctl = ctl;
    this.#appsLoader = appsLoader;
  }

  /** Follows the lattice; malformed events are dropped by the CtlClient and a failing refresh is only reported. */
  async start(): Promise<void> {
    this.#subs = this.#ctl.subscribeEvents((e) => this.#onEvent(e));
    // application status changes (wadm.status.{lattice}.{app}) refresh the applications at once
    this.#subs.push(
      this.#ctl.nc.subscribe(wadmSubject.status(this.#ctl.lattice, '*'), {
        callback: () => void this.#refreshApps().catch((err: unknown) => dropBadInput('dashboard app refresh', err)),
      }),
    );
    await this.refresh();
  }

  stop(): void {
    for (const s of this.#subs) s.unsubscribe();
  }

  /** Calls `fn` with `('state', snapshot)` after every change and `('event', event)` for each event. */
  subscribe(fn: (kind: 'state' | 'event', payload: unknown) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  snapshot(): LatticeSnapshot {
    return {
      lattice: this.#ctl.lattice,
      hosts: [...this.#hosts.values()].sort((a, b) => a.friendly_name.localeCompare(b.friendly_name)),
      links: this.#links,
      apps: this.#apps,
      events: [...this.#events],
    };
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
    for (const id of this.#hosts.keys()) if (!seen.has(id)) this.#hosts.delete(id);
    this.#links = await this.#ctl.getLinks().catch(() => this.#links);
    await this.#loadApps();
    this.#emit('state', this.snapshot());
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

  async #onEvent(e: CloudEvent): Promise<void> {
    // the page shows a few fields of each event: one with a huge payload is kept without it (200 events stay small)
    this.#events.unshift(JSON.stringify(e.data).length > MAX_EVENT_DATA ? { ...e, data: { truncated: true } } : e);
    if (this.#events.length > MAX_EVENTS) this.#events.pop();
    this.#emit('event', e);
    const type = eventKind(e);
    if (type === 'host_heartbeat') {
      const inv = decodeOrDrop('dashboard heartbeats', () => decodeHeartbeat(e));
      if (!inv) return;
      this.#hosts.set(e.source, { ...inv, lattice: this.#ctl.lattice, last_seen: e.time });
    } else if (type === 'host_stopped') {
      this.#hosts.delete(e.source);
    } else if (type.startsWith('linkdef_')) {
      this.#links = await this.#ctl.getLinks().catch(() => this.#links);
    } else if (
      type === 'host_started' ||
      type.startsWith('component_') ||
      type.startsWith('provider_') ||
      type === 'labels_changed'
    ) {
      await this.#refreshHost(e.source);
    }
    if (type.startsWith('component_') || type === 'host_heartbeat') await this.#loadApps();
    this.#emit('state', this.snapshot());
  }

  async #refreshApps(): Promise<void> {
    await this.#loadApps();
    this.#emit('state', this.snapshot());
  }

  #emit(kind: 'state' | 'event', payload: unknown): void {
    for (const l of this.#listeners) l(kind, payload);
  }
}
