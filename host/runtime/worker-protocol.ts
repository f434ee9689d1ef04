import type { Worker } from 'node:worker_threads';
import type { CallContext } from '../workloads/runtime-port.ts';
import type { ComponentMeta, PreparedComponent } from './transpile-cache.ts';

/** Messages from the main thread to a guest worker. */
export type ToWorker =
  | {
      t: 'load';
      id: number;
      digest: string;
      dir: string;
      meta: ComponentMeta;
      modules: Record<string, WebAssembly.Module>;
    }
  | {
      t: 'start';
      id: number;
      cid: string;
      digest: string;
      env: Record<string, string>;
      stateful: boolean;
      spares: number;
    }
  | { t: 'stop'; cid: string }
  | { t: 'stats'; id: number }
  /**
   * `stream`: an HTTP handler's response goes out as `httpHead` and `httpChunk` messages before the result.
   * `bodyStream`: the request body follows as `httpBody` messages and one `httpBodyEnd`.
   * `n`: the worker's sequence number of the call; the worker claims it before starting (`DispatchCursor`).
   */
  | {
      t: 'invoke';
      id: number;
      n: number;
      cid: string;
      op: string;
      args: unknown[];
      stream?: boolean;
      bodyStream?: boolean;
    }
  | { t: 'httpBody'; id: number; chunk: Uint8Array }
  | { t: 'httpBodyEnd'; id: number; error?: string }
  | { t: 'importResult'; id: number; ok: boolean; value?: unknown; code?: string; message?: string };

/** Messages from a guest worker to the main thread. */
export type FromWorker =
  | { t: 'loaded' | 'started'; id: number; ok: boolean; message?: string }
  /** Per component: live instances in this worker and the bytes of their linear memories. */
  | { t: 'stats'; id: number; ok: true; value: Record<string, ComponentStats> }
  | { t: 'result'; id: number; ok: boolean; value?: unknown; code?: string; message?: string }
  /** A streamed HTTP response of invocation `id`: its status and headers, then each body write. */
  | { t: 'httpHead'; id: number; status: number; headers: [string, string][] }
  | { t: 'httpChunk'; id: number; chunk: Uint8Array }
  /** Flow control of a streamed request body: the guest of invocation `id` has read `consumed` bytes so far. */
  | { t: 'httpBodyAck'; id: number; consumed: number }
  | { t: 'log'; cid: string; stream: 'stdout' | 'stderr'; line: string; inv?: number }
  /** `inv`: the invocation the guest was running when it made the call (its context: trace, caller). */
  | {
      t: 'import';
      id: number;
      inv: number;
      cid: string;
      iface: string;
      func: string;
      args: unknown[];
      linkNames?: Record<string, string>;
    };

/** Serves a guest's call to a host import (runs on the main thread). */
export type ImportHandler = (
  componentId: string,
  iface: string,
  func: string,
  args: unknown[],
  ctx?: CallContext,
) => Promise<unknown>;
/** Receives guest stdout/stderr lines. */
export type LogHandler = (componentId: string, stream: 'stdout' | 'stderr', line: string, ctx?: CallContext) => void;

/** The runtime is the host's `RuntimePort`: its invocation context is the port's. */
export type { CallContext };

/** Live instances of a component and the bytes of their linear memories. */
export interface ComponentStats {
  instances: number;
  memoryBytes: number;
}

/** Sums the workers' stats per component. */
export function sumStats(per: Record<string, ComponentStats>[]): Record<string, ComponentStats> {
  const out: Record<string, ComponentStats> = {};
  for (const v of per) {
    for (const [cid, st] of Object.entries(v)) {
      const o = (out[cid] ??= { instances: 0, memoryBytes: 0 });
      o.instances += st.instances;
      o.memoryBytes += st.memoryBytes;
    }
  }
  return out;
}

/** A component as registered in the workers. */
export interface Registration {
  cid: string;
  prepared: PreparedComponent;
  env: Record<string, string>;
  stateful: boolean;
  spares: number;
}

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  size: number;
  maxExecutionTimeMs: number;
  onImport?: ImportHandler;
  onLog?: LogHandler;
  /** Called when a worker is replaced (after a timeout or a crash). */
  onWorkerLost?: (reason: string) => void;
  /** Called with each new guest worker (HTTP served in the workers: worker-http-main.ts). */
  onSpawn?: (worker: Worker) => void;
}
