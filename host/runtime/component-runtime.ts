import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { ComponentError, ComponentErrorCode } from './errors.ts';
import { Semaphore } from './semaphore.ts';
import { TranspileCache } from './transpile-cache.ts';
import type { PreparedComponent } from './transpile-cache.ts';
import { WorkerPool } from './worker-pool.ts';
import type { CallContext, ImportHandler, LogHandler } from './worker-pool.ts';

/** Options of {@link ComponentRuntime}. */
export interface ComponentRuntimeOptions {
  /** Transpile cache. @default ~/.cache/weft */
  cacheDir?: string;
  /** Guest worker threads. @default cores */
  workers?: number;
  /** A call running longer is stopped (its worker replaced). @default 600000 (wasmCloud's default) */
  maxExecutionTimeMs?: number;
  /** Cap of each instance's linear memory. @default 256 MiB */
  maxLinearMemoryBytes?: number;
  onImport?: ImportHandler;
  onLog?: LogHandler;
  onWorkerLost?: (reason: string) => void;
}

interface Running {
  prepared: PreparedComponent;
  sem: Semaphore;
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
  readonly #running = new Map<string, Running>();

  constructor(o: ComponentRuntimeOptions = {}) {
    this.cache = new TranspileCache(o.cacheDir ?? join(homedir(), '.cache', 'weft'), o.maxLinearMemoryBytes ?? 256 * 1024 * 1024);
    this.#pool = new WorkerPool({
      size: o.workers ?? availableParallelism(),
      maxExecutionTimeMs: o.maxExecutionTimeMs ?? 600_000,
      onImport: o.onImport,
      onLog: o.onLog,
      onWorkerLost: o.onWorkerLost,
    });
  }

  /** Validates and transpiles (or takes from the cache) a component. */
  load(bytes: Uint8Array): Promise<PreparedComponent> {
    return this.cache.prepare(bytes);
  }

  /** Starts `id`: registers it in one guest worker (more on demand) with a pre-instantiated spare. */
  async start(id: string, prepared: PreparedComponent, o: { maxInstances: number; env?: Record<string, string>; stateful?: boolean }): Promise<void> {
    const run: Running = { prepared, sem: new Semaphore(o.maxInstances), env: o.env ?? {}, stateful: o.stateful ?? false };
    await this.#register(id, run);
    this.#running.set(id, run);
  }

  setMaxInstances(id: string, maxInstances: number): void {
    this.#running.get(id)?.sem.setLimit(maxInstances);
  }

  /** Swaps in a new version: calls already running finish on their instance, new calls get the new one. */
  async update(id: string, prepared: PreparedComponent): Promise<void> {
    const cur = this.#running.get(id);
    if (!cur) throw new ComponentError(ComponentErrorCode.NotRunning, `component ${id} is not running`);
    const next = { ...cur, prepared };
    await this.#register(id, next);
    this.#running.set(id, next);
  }

  /**
   * Calls an export (`ns:pkg/iface[@ver].func` or a root function) with JSON args; waits for a free instance.
   * @throws {ComponentError} COMP_TRAP, COMP_TIMEOUT, COMP_BAD_ARGUMENTS, COMP_NO_SUCH_EXPORT, COMP_NOT_RUNNING…
   */
  async invoke(id: string, op: string, args: unknown[], ctx?: CallContext): Promise<unknown> {
    const run = this.#running.get(id);
    if (!run) throw new ComponentError(ComponentErrorCode.NotRunning, `component ${id} is not running on this host`);
    const release = await run.sem.acquire();
    try {
      return await this.#pool.invoke(id, op, args, ctx);
    } finally {
      release();
    }
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
      await this.#pool.register({ cid: id, prepared: run.prepared, env: run.env, stateful: run.stateful, spares: 1 });
    } catch (err) {
      this.#pool.unregister(id);
      const e = err as ComponentError;
      throw new ComponentError(e.code === ComponentErrorCode.Instantiate || !e.code ? ComponentErrorCode.Instantiate : e.code, `cannot instantiate ${id}: ${e.message}`, { cause: err });
    }
  }
}
