/**
 * Messages of HTTP served in the guest workers, on a MessagePort of its own per worker (worker-http-main.ts on the
 * main thread, worker-http.ts in the worker), so HTTP control stays out of the call protocol.
 */
import type { MessagePort } from 'node:worker_threads';
import type { HttpRequestHead } from '../../lattice/index.ts';

/** Main thread → worker (first message on the worker's parentPort: `{ t: 'httpPort', port, limitMs }`). */
export type HttpToWorker =
  | { k: 'listen'; id: number; address: string; spec: unknown; module: string }
  | { k: 'close'; id: number; address: string }
  /** The answer to a `relay`. */
  | {
      k: 'relayed';
      rid: number;
      ok: boolean;
      status?: number;
      headers?: [string, string][];
      body?: Uint8Array;
      code?: string;
      message?: string;
    };

/** Worker → main thread. */
export type HttpFromWorker =
  /** Answers `listen` and `close`; `code`: the bind error's (EADDRINUSE, EACCES, …). */
  | { k: 'done'; id: number; ok: boolean; code?: string; message?: string }
  /** A request for a component this worker does not run, passed on whole (answered by `relayed`). */
  | {
      k: 'relay';
      rid: number;
      address: string;
      target: string;
      head: HttpRequestHead;
      body?: Uint8Array;
      timeoutMs?: number;
      traceparent?: string;
    }
  | { k: 'log'; address: string; level: 'info' | 'warn' | 'error'; obj: Record<string, unknown>; msg: string };

/** The first message a worker gets from worker-http-main.ts. */
export interface HttpPortMessage {
  t: 'httpPort';
  port: MessagePort;
  /** The host's execution limit (each request's deadline). */
  limitMs: number;
}
