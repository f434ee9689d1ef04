import { availableParallelism, homedir, totalmem } from 'node:os';
import { join } from 'node:path';
import { ComponentError, ComponentErrorCode } from './errors.ts';
import { hasExport } from './export-lookup.ts';
import type { DtsModule } from './dts-types.ts';
import { GuestBudget } from './guest-budget.ts';
import { GuestLogLimiter, sanitizeLogLine } from './guest-log-limit.ts';
import { SharedLimit, waitQueueFor } from './admission.ts';
import { TranspileCache } from './transpile-cache.ts';
import type { PreparedComponent } from './transpile-cache.ts';
import { WorkerPool } from './worker-pool.ts';
import { WorkerHttp } from './worker-http-main.ts';
import type { CallContext, ImportHandler, LatticeHooks, LogHandler } from './worker-pool.ts';
import type { NatsConnectOptions } from '../../lattice/index.ts';

const DEFAULT_MAX_GUEST_INSTANCES = 1000;
/** Half the machine's RAM: the host process, its providers and the OS keep the rest. */
const defaultGuestMemoryBytes = (): number => Math.floor(totalmem() / 2);

/**
 * Guest stdout/stderr as the host logs it: per component at most `GuestLogLimits.linesPerSecond` (with a burst), the
 * dropped lines counted in one line before the next that goes out; control characters stripped, long lines cut.
 */
function limitedLog(onLog: LogHandler): LogHandler {
  const limiter = new GuestLogLimiter();
  return (cid, stream, line, ctx) => {
    if (cid === '(worker)') return onLog(cid, stream, line, ctx);
    const dropped = limiter.take(cid);
    if (dropped === false) return;
    if (dropped > 0)
      onLog(
        cid,
        'stderr',
        `[weft] ${dropped} log lines of this component were dropped (over ${limiter.linesPerSecond} lines/s)`,
        ctx,
      );
    onLog(cid, stream, sanitizeLogLine(line), ctx);
  };
}

/** Options of {@link ComponentRuntime}. */
export interface ComponentRuntimeOptions {
  /** Transpile cache. @default ~/.cache/weft */
  cacheDir?: string;
  /** Guest worker threads. @default cores */
  workers?: number;
  /** A call running longer is stopped (its worker replaced). @default 600000 (wasmCloud's default) */
  maxExecutionTimeMs?: number;
  /**
   * An instantiation (a start function, a guest's initialisation) that holds its worker longer is stopped by replacing
   * the worker; the component's start fails with COMP_WORKER_LOST. @default 10000
   */
  instantiateTimeoutMs?: number;
  /** Cap of each instance's linear memory. @default 256 MiB */
  maxLinearMemoryBytes?: number;
  /** Host-wide guest linear memory past which calls get COMP_BUSY (see `guest-budget.ts`). @default half the machine's RAM */
  maxGuestMemoryBytes?: number;
  /** Host-wide calls admitted at once (running or waiting for an instance); more get COMP_BUSY. @default 1000 */
  maxGuestInstances?: number;
  onImport?: ImportHandler;
  onLog?: LogHandler;
  onWorkerLost?: (reason: string) => void;
  /**
   * NATS of the host's RPC connection (same URL and credentials): each guest worker connects with it and serves the
   * lattice calls of its components itself (`serve`). Absent: the host serves them on the main thread.
   */
  nats?: NatsConnectOptions;
}

interface Running {
  prepared: PreparedComponent;
  /** Parsed declarations of its exports (for `resolveExport`). */
  dts: Map<string, DtsModule>;
  /** `max_instances`, shared with the workers (admission.ts). */
  limit: SharedLimit;
  env: Record<string, string>;
  stateful: boolean;
}

/**
 * Runs Wasm components with jco in a pool of worker threads: transpile once per digest (disk + memory cache),
 * pre-instantiate, a fresh instance per call unless stateful, `max_instances` as a per-host concurrency limit,
 * execution-time and linear-memory limits. Implements the host's `RuntimePort`.
 */
export class ComponentRuntime {
  readonly cache: TranspileCache;
  readonly #pool: WorkerPool;
  /** HTTP served in the guest workers (the in-host http-server's listeners run there). */
  readonly workerHttp: WorkerHttp;
  readonly #running = new Map<string, Running>();
  readonly #budget: GuestBudget;
  readonly #maxCalls: number;
  readonly #limitMs: number;

  constructor(o: ComponentRuntimeOptions = {}) {
    this.cache = new TranspileCache(
      o.cacheDir ?? join(homedir(), '.cache', 'weft'),
      o.maxLinearMemoryBytes ?? 256 * 1024 * 1024,
    );
    this.#limitMs = o.maxExecutionTimeMs ?? 600_000;
    const measure = async (): Promise<number> =>
      Object.values(await this.#pool.stats()).reduce((n, st) => n + st.memoryBytes, 0);
    this.#maxCalls = o.maxGuestInstances ?? DEFAULT_MAX_GUEST_INSTANCES;
    this.#budget = new GuestBudget({
      maxCalls: this.#maxCalls,
      maxMemoryBytes: o.maxGuestMemoryBytes ?? defaultGuestMemoryBytes(),
      measure,
    });
    this.workerHttp = new WorkerHttp(this.#limitMs);
    this.#pool = new WorkerPool({
      size: o.workers ?? availableParallelism(),
      maxExecutionTimeMs: this.#limitMs,
      instantiateTimeoutMs: o.instantiateTimeoutMs,
      onSpawn: (w) => this.workerHttp.attach(w),
      nats: o.nats,
      budget: this.#budget.sab,
      onImport: o.onImport,
      onLog: o.onLog && limitedLog(o.onLog),
      onWorkerLost: o.onWorkerLost,
    });
  }

  /** Validates and transpiles (or takes from the cache) a component. */
  load(bytes: Uint8Array): Promise<PreparedComponent> {
    return this.cache.prepare(bytes);
  }

  /** Starts `id`: registers it in one guest worker (more on demand) with a pre-instantiated spare. */
  async start(
    id: string,
    prepared: PreparedComponent,
    o: { maxInstances: number; env?: Record<string, string>; stateful?: boolean },
  ): Promise<void> {
    const run: Running = {
      prepared,
      dts: new Map(),
      limit: new SharedLimit(o.maxInstances),
      env: o.env ?? {},
      stateful: o.stateful ?? false,
    };
    await this.#register(id, run);
    this.#running.set(id, run);
  }

  setMaxInstances(id: string, maxInstances: number): void {
    this.#running.get(id)?.limit.setLimit(maxInstances);
  }

  /** Swaps in a new version: calls already running finish on their instance, new calls get the new one. */
  async update(id: string, prepared: PreparedComponent): Promise<void> {
    const cur = this.#running.get(id);
    if (!cur) throw new ComponentError(ComponentErrorCode.NotRunning, `component ${id} is not running`);
    const next = { ...cur, prepared, dts: new Map<string, DtsModule>() };
    await this.#register(id, next);
    this.#running.set(id, next);
  }

  /**
   * Calls an export (`ns:pkg/iface[@ver].func` or a root function) with JSON args; waits for a free instance.
   * @throws {ComponentError} COMP_BUSY at the host's guest budget (before waiting), COMP_TRAP, COMP_TIMEOUT,
   * COMP_BAD_ARGUMENTS, COMP_NO_SUCH_EXPORT, COMP_NOT_RUNNING…
   */
  async invoke(id: string, op: string, args: unknown[], ctx?: CallContext): Promise<unknown> {
    const run = this.#running.get(id);
    if (!run) throw new ComponentError(ComponentErrorCode.NotRunning, `component ${id} is not running on this host`);
    const end = this.#budget.admit(id);
    try {
      const release = await run.limit.take(id, waitQueueFor(run.limit.limit), Date.now() + this.#limitMs);
      try {
        return await this.#pool.invoke(id, op, args, ctx);
      } finally {
        release();
      }
    } finally {
      end();
    }
  }

  /**
   * Checks that `id` exports `op` before the call goes further (policy, metrics), so unknown names cost nothing.
   * @throws {ComponentError} COMP_NOT_RUNNING, COMP_NO_SUCH_EXPORT.
   */
  resolveExport(id: string, op: string): void {
    const run = this.#running.get(id);
    if (!run) throw new ComponentError(ComponentErrorCode.NotRunning, `component ${id} is not running on this host`);
    if (!hasExport({ meta: run.prepared.meta, dir: run.prepared.dir, dts: run.dts }, op)) {
      const exported = Object.keys(run.prepared.meta.exports).filter(Boolean);
      throw new ComponentError(
        ComponentErrorCode.NoSuchExport,
        `${id} does not export ${JSON.stringify(op.slice(0, 200))}; it exports ${exported.join(', ') || 'root functions only'}`,
      );
    }
  }

  /** True when the guest workers serve lattice calls themselves (`nats` was given). */
  get servesLattice(): boolean {
    return this.#pool.servesLattice;
  }

  /** What the main thread does for lattice calls served in the workers (policy, metrics, spans). */
  setLatticeHooks(h: LatticeHooks): void {
    this.#pool.setLatticeHooks({
      ...h,
      report: (served) => {
        this.#budget.changed(); // calls ended in the workers: measure the guest memory again when due
        h.report(served);
      },
    });
  }

  /** The workers running `id` serve its lattice calls; resolves once one does (see `servesLattice`). */
  serve(id: string): Promise<void> {
    return this.#pool.serve(id);
  }

  /** Stops serving `id`'s lattice calls; resolves once those in flight have answered. */
  unserve(id: string): Promise<void> {
    return this.#pool.unserve(id);
  }

  /** Guest calls admitted now and the guest linear memory measured last (the host-wide budget's view). */
  get budgetUsage(): { calls: number; memoryBytes: number } {
    return this.#budget.usage;
  }

  /** Guest workers, the most calls admitted at once since the last sample, and the admission cap (metrics sample). */
  usage(): { guestWorkers: number; instancesInUse: number; instanceCap: number } {
    return { guestWorkers: this.#pool.workers, instancesInUse: this.#budget.takePeak(), instanceCap: this.#maxCalls };
  }

  /** Live instances and linear-memory bytes per running component. */
  stats(): Promise<Record<string, { instances: number; memoryBytes: number }>> {
    return this.#pool.stats();
  }

  /** The prepared component behind a running id. */
  prepared(id: string): PreparedComponent | undefined {
    return this.#running.get(id)?.prepared;
  }

  stop(id: string): Promise<void> {
    this.#running.delete(id);
    this.#pool.unregister(id);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  async #register(id: string, run: Running): Promise<void> {
    try {
      await this.#pool.register({
        cid: id,
        prepared: run.prepared,
        env: run.env,
        stateful: run.stateful,
        spares: 1,
        limit: run.limit.sab,
      });
    } catch (err) {
      this.#pool.unregister(id);
      const e = err as ComponentError;
      throw new ComponentError(
        e.code === ComponentErrorCode.Instantiate || !e.code ? ComponentErrorCode.Instantiate : e.code,
        `cannot instantiate ${id}: ${e.message}`,
        { cause: err },
      );
    }
  }
}
