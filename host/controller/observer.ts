import { decodeHeartbeat, decodeOrDrop, eventKind } from '../../lattice/index.ts';
import type { CloudEvent, CtlClient, HostInventory } from '../../lattice/index.ts';
import type { ObservedHost } from './plan.ts';

const MAX_FAILURES = 10_000;

/** What the observer asks of the lattice (a {@link CtlClient}; a fake in unit tests). */
export type ObserverCtl = Pick<CtlClient, 'subscribeEvents' | 'getHosts' | 'getHostInventory'>;

/**
 * The controller's view of the lattice: hosts from ping and heartbeats (which carry the full inventory), refreshed
 * on component and provider events; a host silent for `missed × interval` that does not answer a probe either is
 * dropped (its work gets rescheduled).
 */
export class LatticeObserver {
  readonly #ctl: ObserverCtl;
  readonly #hosts = new Map<string, ObservedHost & { seen: number }>();
  readonly #expireMs: number;
  readonly failures = new Map<string, string>(); // component id → last scale error
  #subs: { unsubscribe(): void }[] = [];

  readonly #probe: ObserverCtl;

  /** `probe` answers the overdue-host check; give it a short timeout so a paused host does not hold up a pass. */
  constructor(ctl: ObserverCtl, expireMs: number, probe: ObserverCtl = ctl) {
    this.#ctl = ctl;
    this.#probe = probe;
    this.#expireMs = expireMs;
  }

  /** Follows the lattice's events; the CtlClient drops malformed ones and reports a failing handler, so none stops it. */
  async start(onChange: () => void): Promise<void> {
    this.#subs = this.#ctl.subscribeEvents((e) => this.#onEvent(e).then(onChange));
    for (const h of await this.#ctl.getHosts()) await this.#refresh(h.id);
  }

  stop(): void {
    for (const s of this.#subs) s.unsubscribe();
  }

  /**
   * Live hosts. A host whose heartbeats are overdue is asked for its inventory once before it is dropped, so a
   * heartbeat delayed by a busy machine does not move work; a host that neither beats nor answers is gone.
   */
  async hosts(): Promise<ObservedHost[]> {
    const now = Date.now();
    const overdue = [...this.#hosts].filter(([, h]) => now - h.seen > this.#expireMs).map(([id]) => id);
    await Promise.all(
      overdue.map(async (id) => {
        const inv = await this.#probe.getHostInventory(id).catch(() => undefined);
        if (inv) this.#set(inv);
        else this.#hosts.delete(id);
      }),
    );
    return [...this.#hosts.values()];
  }

  #set(inv: HostInventory): void {
    this.#hosts.set(inv.host_id, {
      id: inv.host_id,
      labels: inv.labels,
      components: inv.components,
      providers: inv.providers,
      seen: Date.now(),
    });
  }

  async #refresh(id: string): Promise<void> {
    const inv = await this.#ctl.getHostInventory(id).catch(() => undefined);
    if (inv) this.#set(inv);
  }

  async #onEvent(e: CloudEvent): Promise<void> {
    const type = eventKind(e);
    if (type === 'host_heartbeat') {
      // a heartbeat is only taken from the host it describes, and only when it is a whole inventory
      const inv = decodeOrDrop('controller heartbeats', () => decodeHeartbeat(e));
      if (inv) this.#set(inv);
    } else if (type === 'host_stopped') this.#hosts.delete(e.source);
    else if (type === 'component_scale_failed') {
      this.failures.set(String(e.data['component_id']).slice(0, 200), String(e.data['error']).slice(0, 1000));
      if (this.failures.size > MAX_FAILURES) this.failures.delete(this.failures.keys().next().value as string);
    }
    if (type === 'component_scaled') this.failures.delete(String(e.data['component_id']));
    if (
      type === 'host_started' ||
      type.startsWith('component_') ||
      type.startsWith('provider_') ||
      type === 'labels_changed'
    )
      await this.#refresh(e.source);
  }
}
