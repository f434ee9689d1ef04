import { randomUUID } from 'node:crypto';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { wadmSubject } from '../../lattice/apps/index.ts';
import type { AppStatusType, Manifest, StoredApp } from '../../lattice/apps/index.ts';
import { CtlClient } from '../../lattice/index.ts';
import type { Link } from '../../lattice/index.ts';
import type { Logger } from '../logger.ts';
import { handleApi } from './api.ts';
import { AppStore } from './app-store.ts';
import { Lease } from './lease.ts';
import { LatticeObserver } from './observer.ts';
import { APPSPEC, planApp } from './plan.ts';
import type { Plan } from './plan.ts';

/** Options of {@link Controller}. */
export interface ControllerOptions {
  nc: NatsConnection;
  lattice: string;
  logger: Logger;
  /** Hosts' heartbeat interval in seconds. @default 30 */
  heartbeatIntervalSec?: number;
  /** Heartbeats a host may miss before its work moves. @default 2 */
  missedHeartbeats?: number;
  /** Reconcile at least this often (ms). @default 1000 */
  reconcileMs?: number;
  /** Lease time to live (ms); a standby takes over within about this. @default 3000 */
  leaseMs?: number;
  /** Replicas of the manifest bucket when created. @default 1 */
  replicas?: number;
}

const linkKey = (l: Link): string => `${l.source_id}|${l.wit_namespace}:${l.wit_package}|${l.name}|${l.target}`;

/**
 * The reconciler (wadm's job): one active per lattice (a KV lease), it drives the lattice to each deployed
 * manifest (components by spread and weight, providers, config, links), moves work off hosts that stop sending
 * heartbeats, cleans up on undeploy and publishes status on `wadm.status.{lattice}.{app}`. Every controller serves
 * the wadm model API.
 */
export class Controller {
  readonly #o: ControllerOptions;
  readonly #ctl: CtlClient;
  readonly #id = randomUUID();
  #store!: AppStore;
  #lease!: Lease;
  #observer!: LatticeObserver;
  #api: Subscription | undefined;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #again = false;
  #lastStatus = new Map<string, string>();

  private constructor(o: ControllerOptions) {
    this.#o = o;
    this.#ctl = new CtlClient(o.nc, { lattice: o.lattice, timeoutMs: 5000 });
  }

  static async start(o: ControllerOptions): Promise<Controller> {
    const c = new Controller(o);
    c.#store = await AppStore.open(o.nc, o.lattice, o.replicas ?? 1);
    c.#lease = await Lease.open(o.nc, o.lattice, c.#id, o.leaseMs ?? 3000);
    const probe = new CtlClient(o.nc, { lattice: o.lattice, timeoutMs: 1000 });
    c.#observer = new LatticeObserver(
      c.#ctl,
      (o.heartbeatIntervalSec ?? 30) * 1000 * (o.missedHeartbeats ?? 2) + 1000,
      probe,
    );
    await c.#observer.start(() => c.kick());
    c.#api = o.nc.subscribe(wadmSubject.all(o.lattice), {
      queue: `wadm_api_${o.lattice}`,
      callback: (_e, m) => {
        const [op = '', ...rest] = m.subject.slice(wadmSubject.api(o.lattice, '').length).split('.');
        void handleApi(c.#store, op, rest.join('.') || undefined, m, () => c.kick())
          .catch((err: unknown) => ({ result: 'error', message: (err as Error).message }))
          .then((r) => m.respond(JSON.stringify(r)))
          .catch((err: unknown) => o.logger.warn({ err: (err as Error).message }, 'wadm API reply failed'));
      },
    });
    c.#timer = setInterval(() => c.kick(), o.reconcileMs ?? 1000);
    c.#timer.unref();
    c.kick();
    return c;
  }

  /** True while this controller holds the lattice's lease. */
  get active(): boolean {
    return this.#lease.held;
  }

  /** Requests a reconcile pass (coalesced). */
  kick(): void {
    if (this.#busy) {
      this.#again = true;
      return;
    }
    this.#busy = true;
    void this.#reconcile()
      .catch((err: unknown) => this.#o.logger.warn({ err: (err as Error).message }, 'reconcile failed'))
      .finally(() => {
        this.#busy = false;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#api?.unsubscribe();
    this.#observer.stop();
    await this.#lease.release();
  }

  async #reconcile(): Promise<void> {
    const wasActive = this.#lease.held;
    if (!(await this.#lease.tryHold())) return;
    if (!wasActive) this.#o.logger.info({ lattice: this.#o.lattice }, 'controller is active for the lattice');
    const hosts = await this.#observer.hosts();
    const apps = await this.#store.list();
    const deployed = apps.filter((a) => a.deployed_version);
    const plans = new Map<string, Plan>();
    for (const a of deployed) {
      const m = a.versions.find((v) => v.version === a.deployed_version)?.manifest as Manifest;
      try {
        plans.set(a.name, planApp(a.name, m, hosts));
      } catch (err) {
        // one application that cannot be planned does not stop the others (the store validates what it reads)
        this.#o.logger.warn({ app: a.name, err: (err as Error).message }, 'cannot plan application');
      }
    }
    // stop what is managed but no longer wanted (undeployed apps, moved work)
    for (const h of hosts) {
      for (const c of h.components) {
        const app = c.annotations?.[APPSPEC];
        if (!app) continue;
        const want = plans.get(app)?.components.find((x) => x.hostId === h.id && x.id === c.id);
        if (!want)
          await this.#ctl
            .scaleComponent({
              host_id: h.id,
              component_id: c.id,
              component_ref: c.image_ref,
              count: 0,
              annotations: c.annotations,
            })
            .catch(() => undefined); // a host that is gone (or never was: a forged heartbeat) does not stop the pass
      }
      for (const p of h.providers) {
        const app = p.annotations?.[APPSPEC];
        if (app && !plans.get(app)?.providers.some((x) => x.hostId === h.id && x.id === p.id))
          await this.#ctl.stopProvider({ host_id: h.id, provider_id: p.id }).catch(() => undefined);
      }
    }
    const links = await this.#ctl.getLinks().catch(() => [] as Link[]);
    for (const a of apps) {
      const plan = plans.get(a.name);
      if (!plan) continue;
      try {
        await this.#apply(plan, hosts, links);
        await this.#setStatus(a, ...this.#statusOf(plan, hosts, a));
      } catch (err) {
        this.#o.logger.warn({ app: a.name, err: (err as Error).message }, 'reconcile of application failed');
      }
    }
    for (const a of apps.filter((x) => !x.deployed_version && x.status.type !== 'undeployed'))
      await this.#setStatus(a, 'undeployed', '');
  }

  async #apply(plan: Plan, hosts: Awaited<ReturnType<LatticeObserver['hosts']>>, links: Link[]): Promise<void> {
    for (const c of plan.configs) await this.#ctl.putConfig(c.name, c.values).catch(() => undefined);
    for (const p of plan.providers) {
      const h = hosts.find((x) => x.id === p.hostId);
      if (!h?.providers.some((x) => x.id === p.id))
        await this.#ctl
          .startProvider({
            host_id: p.hostId,
            provider_id: p.id,
            provider_ref: p.ref,
            config: p.config ?? [],
            annotations: p.annotations,
          })
          .catch(() => undefined);
    }
    for (const c of plan.components) {
      const cur = hosts.find((x) => x.id === c.hostId)?.components.find((x) => x.id === c.id);
      if (!cur || cur.max_instances !== c.count || cur.image_ref !== c.ref) {
        await this.#ctl
          .scaleComponent({
            host_id: c.hostId,
            component_id: c.id,
            component_ref: c.ref,
            count: c.count,
            annotations: c.annotations,
            allow_update: true,
            config: c.config ?? [],
          })
          .catch(() => undefined);
      }
    }
    const have = new Set(links.map(linkKey));
    for (const l of plan.links)
      if (!have.has(linkKey(l)))
        await this.#ctl
          .putLink(l)
          .catch((err: unknown) => this.#o.logger.warn({ err: (err as Error).message }, 'link put failed'));
  }

  #statusOf(plan: Plan, hosts: Awaited<ReturnType<LatticeObserver['hosts']>>, _a: StoredApp): [AppStatusType, string] {
    const failed = plan.components.map((c) => [c.id, this.#observer.failures.get(c.id)] as const).find(([, e]) => e);
    if (failed) return ['failed', `${failed[0]}: ${failed[1]}`];
    const missing = plan.components.filter(
      (c) => hosts.find((h) => h.id === c.hostId)?.components.find((x) => x.id === c.id)?.max_instances !== c.count,
    );
    const missingP = plan.providers.filter(
      (p) => !hosts.find((h) => h.id === p.hostId)?.providers.some((x) => x.id === p.id),
    );
    if (!plan.components.length && !plan.providers.length) return ['failed', 'no host matches the spread requirements'];
    if (missing.length || missingP.length)
      return ['reconciling', `waiting for ${[...missing.map((c) => c.id), ...missingP.map((p) => p.id)].join(', ')}`];
    return ['deployed', ''];
  }

  async #setStatus(a: StoredApp, type: AppStatusType, message: string): Promise<void> {
    const key = `${type}|${message}`;
    if (this.#lastStatus.get(a.name) === key && a.status.type === type) return;
    this.#lastStatus.set(a.name, key);
    const fresh = await this.#store.get(a.name);
    if (!fresh) return;
    fresh.status = { type, message };
    await this.#store.put(fresh);
    this.#o.nc.publish(
      wadmSubject.status(this.#o.lattice, a.name),
      JSON.stringify({ status: { type, message }, version: fresh.deployed_version ?? '' }),
    );
  }
}
