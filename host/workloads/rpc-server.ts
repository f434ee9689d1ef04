import type { Msg, MsgHdrs, NatsConnection, Subscription } from '@nats-io/transport-node';
import { decodeRpc, encodeRpc, errorHeaders, RpcHeader, rpcSubject } from '../../lattice/index.ts';
import type { Logger } from '../logger.ts';
import type { RuntimePort } from './runtime-port.ts';

/** Where a component's lattice calls are served; `drain` lets in-flight calls finish (graceful stop). */
export interface Serving {
  drain(): Promise<void>;
}

/**
 * Serves a component's lattice calls: in the guest workers when the runtime can (each on its own NATS connection;
 * resolves once one has the subscription, so a caller that saw the scaled event is served), else on this thread
 * (a runtime without NATS options: `serveComponentRpc` through `calls.run`).
 */
export async function serveLatticeCalls(
  rt: RuntimePort,
  nc: NatsConnection,
  lattice: string,
  id: string,
  calls: { run: (id: string, op: string, args: unknown[], traceparent?: string) => Promise<unknown> },
  logger: Logger,
): Promise<Serving> {
  if (rt.servesLattice && rt.serve && rt.unserve) {
    const unserve = rt.unserve.bind(rt);
    await rt.serve(id);
    return { drain: () => unserve(id) };
  }
  const trace = (msg: Msg): string | undefined => msg.headers?.get(RpcHeader.TraceParent) || undefined;
  return serveComponentRpc(nc, lattice, id, (op, args, msg) => calls.run(id, op, args, trace(msg)), logger);
}

/** Handles one invocation: operation name and decoded args in, JSON-mapped result out. */
export type InvocationHandler = (operation: string, args: unknown[], msg: Msg) => Promise<unknown>;

/**
 * Serves `wasmbus.rpc.{lattice}.{id}.>` in queue group `{lattice}.{id}`, so every host running the component
 * shares its calls. Failures travel back as coded error headers; the subscription never dies on bad input.
 */
export function serveComponentRpc(
  nc: NatsConnection,
  lattice: string,
  id: string,
  handle: InvocationHandler,
  logger: Logger,
): RpcServing {
  const prefix = rpcSubject.invoke(lattice, id, '');
  let inflight = 0;
  const waiters: (() => void)[] = [];
  const done = (): void => {
    if (--inflight === 0) for (const w of waiters.splice(0)) w();
  };
  const sub = nc.subscribe(rpcSubject.target(lattice, id), {
    queue: rpcSubject.queue(lattice, id),
    callback: (_err, msg) => {
      inflight++;
      void (async () => {
        let body: Uint8Array = new Uint8Array();
        let hdrs;
        try {
          const args = decodeRpc(msg.data) ?? [];
          if (!Array.isArray(args))
            throw Object.assign(new Error('invocation payload must be a msgpack list of arguments'), {
              code: 'LAT_BAD_PAYLOAD',
            });
          body = encodeRpc(await handle(msg.subject.slice(prefix.length), args, msg));
        } catch (err) {
          const e = err as Error & { code?: string };
          hdrs = errorHeaders(typeof e.code === 'string' ? e.code : 'HOST_INVOCATION', e.message ?? String(err));
          logger.debug({ component_id: id, err: e.message }, 'invocation failed');
        }
        if (msg.reply) replyBatch(msg, body, hdrs);
      })()
        .finally(done)
        .catch((err: unknown) =>
          logger.warn({ component_id: id, err: (err as Error).message }, 'invocation reply failed'),
        );
    },
  });
  return {
    sub,
    /** Stops taking calls and resolves once the calls in flight have answered (or after `timeoutMs`). */
    async drain(timeoutMs = 10_000): Promise<void> {
      await sub.drain().catch(() => sub.unsubscribe());
      if (inflight === 0) return;
      await Promise.race([
        new Promise<void>((r) => waiters.push(r)),
        new Promise((r) => setTimeout(r, timeoutMs).unref()),
      ]);
    },
  };
}

let batch: [Msg, Uint8Array, MsgHdrs | undefined][] = [];

/**
 * Replies go out at the end of the event-loop turn, together: nats.js writes what is published within one
 * microtask checkpoint in one socket write, and results come back from the workers one message (one checkpoint)
 * at a time, so replying at once costs a write each (22.7% of the main thread under 50 callers, in
 * `node --cpu-prof`).
 */
function replyBatch(msg: Msg, body: Uint8Array, hdrs: MsgHdrs | undefined): void {
  if (batch.push([msg, body, hdrs]) > 1) return;
  setImmediate(() => {
    const out = batch;
    batch = [];
    for (const [m, b, h] of out) {
      try {
        m.respond(b, { headers: h });
      } catch (err) {
        // e.g. the result exceeds max_payload: tell the caller instead of leaving it to time out
        m.respond(new Uint8Array(), {
          headers: errorHeaders('HOST_REPLY_TOO_LARGE', `cannot send the result: ${(err as Error).message}`),
        });
      }
    }
  });
}

/** A component served on the lattice; `drain()` lets in-flight calls finish (graceful stop). */
export interface RpcServing {
  sub: Subscription;
  drain(timeoutMs?: number): Promise<void>;
}
