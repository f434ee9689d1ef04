import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { RpcHeader, serveRpc } from '../../lattice/index.ts';
import type { RpcServing } from '../../lattice/index.ts';
import { HostErrorCode } from '../errors.ts';
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
 * Serves `wasmbus.rpc.{lattice}.{id}.>` on this thread with lattice's one responder (`serveRpc`: queue group
 * `{lattice}.{id}`, so every host running the component shares its calls; failures and WIT error values in the
 * lattice's one reply form; replies batched per event-loop turn); the subscription never dies on bad input.
 */
export function serveComponentRpc(
  nc: NatsConnection,
  lattice: string,
  id: string,
  handle: InvocationHandler,
  logger: Logger,
): RpcServing {
  return serveRpc(nc, {
    lattice,
    id,
    errorCode: HostErrorCode.Invocation,
    log: logger,
    handle: (c) => handle(c.operation, c.args, c.msg),
  });
}
