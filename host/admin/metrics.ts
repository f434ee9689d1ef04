import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The `operation` label of calls to an operation the component does not export (caller-chosen names never become labels). */
export const UNKNOWN_OPERATION = '_unknown';

/** The host's Prometheus metrics (one registry per host, so several hosts in one process do not clash). */
export class HostMetrics {
  readonly registry = new Registry();
  readonly invocations: Counter<'component_id' | 'operation'>;
  readonly invocationErrors: Counter<'component_id' | 'operation' | 'code'>;
  readonly invocationSeconds: Histogram<'component_id'>;
  readonly instances: Gauge<'component_id'>;
  readonly natsReconnects: Counter;
  readonly componentMemory: Gauge<'component_id'>;
  readonly componentInstances: Gauge<'component_id'>;
  /** Where per-component memory comes from (the runtime), read at each scrape. */
  runtimeStats?: () => Promise<Record<string, { instances: number; memoryBytes: number }>>;
  readonly natsDisconnects: Counter;

  constructor(labels: Record<string, string>, withDefaults = true) {
    this.registry.setDefaultLabels(labels);
    const registers = [this.registry];
    this.invocations = new Counter({
      name: 'weft_invocations_total',
      help: 'Invocations served, by component and operation',
      labelNames: ['component_id', 'operation'],
      registers,
    });
    this.invocationErrors = new Counter({
      name: 'weft_invocation_errors_total',
      help: 'Invocations that failed, by component, operation and error code',
      labelNames: ['component_id', 'operation', 'code'],
      registers,
    });
    this.invocationSeconds = new Histogram({
      name: 'weft_invocation_duration_seconds',
      help: 'Invocation latency',
      labelNames: ['component_id'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    });
    this.instances = new Gauge({
      name: 'weft_component_max_instances',
      help: 'Max concurrent instances of each running component',
      labelNames: ['component_id'],
      registers,
    });
    this.componentMemory = new Gauge({
      name: 'weft_component_memory_bytes',
      help: 'Linear memory of the live instances of each component (spare, busy and kept), over all guest workers',
      labelNames: ['component_id'],
      registers,
      collect: async () => this.#fill(this.componentMemory, (s) => s.memoryBytes),
    });
    this.componentInstances = new Gauge({
      name: 'weft_component_instances',
      help: 'Live instances of each component over all guest workers',
      labelNames: ['component_id'],
      registers,
      collect: async () => this.#fill(this.componentInstances, (s) => s.instances),
    });
    this.natsReconnects = new Counter({ name: 'weft_nats_reconnects_total', help: 'NATS reconnects', registers });
    this.natsDisconnects = new Counter({ name: 'weft_nats_disconnects_total', help: 'NATS disconnects', registers });
    if (withDefaults) collectDefaultMetrics({ register: this.registry, prefix: 'weft_process_' });
  }

  #stats:
    { at: number; p: Promise<Record<string, { instances: number; memoryBytes: number }> | undefined> } | undefined;

  /**
   * Asks the runtime for fresh stats; the guest workers send the calls they served since their last report first,
   * so the counters read after this include every call already answered. Called before each scrape.
   */
  async settle(): Promise<void> {
    await this.#askStats();
  }

  #askStats(): Promise<Record<string, { instances: number; memoryBytes: number }> | undefined> {
    this.#stats = { at: Date.now(), p: this.runtimeStats?.().catch(() => undefined) ?? Promise.resolve(undefined) };
    return this.#stats.p;
  }

  /** Sets a gauge from the runtime's stats; one stats request serves all the gauges of a scrape. */
  async #fill(
    g: Gauge<'component_id'>,
    pick: (s: { instances: number; memoryBytes: number }) => number,
  ): Promise<void> {
    const stats = await (this.#stats && Date.now() - this.#stats.at <= 250 ? this.#stats.p : this.#askStats());
    if (!stats) return;
    g.reset();
    for (const [id, s] of Object.entries(stats)) g.set({ component_id: id }, pick(s));
  }

  /** Records one finished invocation. */
  observe(componentId: string, operation: string, seconds: number, errorCode?: string): void {
    this.invocations.inc({ component_id: componentId, operation });
    this.invocationSeconds.observe({ component_id: componentId }, seconds);
    if (errorCode) this.invocationErrors.inc({ component_id: componentId, operation, code: errorCode });
  }
}
