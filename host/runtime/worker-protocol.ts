import type { Worker } from 'node:worker_threads';
import type { NatsConnectOptions } from '../../lattice/index.ts';
import type { CallContext, ServedCall } from '../workloads/runtime-port.ts';
import type { ComponentMeta, PreparedComponent } from './transpile-cache.ts';

/** How long an instantiation may take by default before its worker is replaced (a start function that loops). */
export const INSTANTIATE_TIMEOUT_MS = 10_000;

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
      /** The component's `max_instances` slots, shared by every thread (admission.ts). */
      limit?: SharedArrayBuffer;
    }
  | { t: 'stop'; cid: string }
  /** Serve `cid`'s lattice calls from this worker (`policy`: ask `authorize` per call; `spans`: report them). */
  | { t: 'serve'; id: number; cid: string; lattice: string; policy: boolean; spans: boolean }
  | { t: 'unserve'; id: number; cid: string }
  | { t: 'authorized'; id: number; ok: boolean; code?: string; message?: string }
  /** The main thread terminated a guest of this worker that ran past its deadline without yielding. */
  | { t: 'stopped' }
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
  | { t: 'log'; cid: string; stream: 'stdout' | 'stderr'; line: string; inv?: number; trace?: CallTrace }
  /** Answers `serve` and `unserve`. */
  | { t: 'done'; id: number; ok: boolean; message?: string }
  /** A lattice call of `cid` waits for the policy service's decision on `op` (answered by `authorized`). */
  | { t: 'authorize'; id: number; cid: string; op: string }
  /** Lattice calls this worker served since its last report (for metrics, spans and the host log). */
  | { t: 'report'; served: Served[] }
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
      /** Of a call the worker serves itself (then `inv` is unknown to the main thread). */
      trace?: CallTrace;
    };

/** Trace context of a call served in a worker. */
export interface CallTrace {
  traceparent?: string;
  traceId?: string;
}

/** One call served in a worker: the port's {@link ServedCall}. */
export type Served = ServedCall;

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
  /** Its `max_instances` slots, shared by every thread (admission.ts). */
  limit?: SharedArrayBuffer;
}

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  size: number;
  maxExecutionTimeMs: number;
  /** An instantiation taking longer, without yielding, gets its worker replaced. @default 10000 */
  instantiateTimeoutMs?: number;
  onImport?: ImportHandler;
  onLog?: LogHandler;
  /** Called when a worker is replaced (after a timeout or a crash). */
  onWorkerLost?: (reason: string) => void;
  /** NATS of the host's RPC connection: the workers serve lattice calls on connections of their own. */
  nats?: NatsConnectOptions;
  /** The host-wide guest budget's shared view (guest-budget.ts), for the calls the workers serve. */
  budget?: SharedArrayBuffer;
  /** Called with each new guest worker (HTTP served in the workers: worker-http-main.ts). */
  onSpawn?: (worker: Worker) => void;
}
