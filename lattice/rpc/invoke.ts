import { headers as makeHeaders } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { rpcSubject } from '../subjects.ts';
import { decodeRpc, encodeRpc } from './codec.ts';
import { RpcHeader } from './error-headers.ts';
import { errorFromReply } from './error-reply.ts';
import { muxRequest, MuxRequestError } from './request-mux.ts';

/** Options of {@link invokeComponent}. */
export interface InvokeOptions {
  /** @default 10000 */
  timeoutMs?: number;
  sourceId?: string;
  linkName?: string;
  traceparent?: string;
}

/**
 * Calls `operation` (`ns:pkg/iface@ver.func` or a root export's name) on `targetId` over the lattice:
 * request/reply on `wasmbus.rpc.{lattice}.{target}.{operation}`, msgpackr args list in, result out.
 * @throws {WitError} the target answered a WIT error value (its result's `err`); {RpcError} the remote coded error
 *   (e.g. COMP_TRAP); {LatticeError} LAT_NO_RESPONDERS / LAT_TIMEOUT.
 */
export async function invokeComponent(
  nc: NatsConnection,
  lattice: string,
  targetId: string,
  operation: string,
  args: unknown[],
  opts: InvokeOptions = {},
): Promise<unknown> {
  // no header block at all when there is nothing to say (a plain PUB: less for the server and the responder to parse)
  const h = opts.sourceId || opts.linkName || opts.traceparent ? makeHeaders() : undefined;
  if (opts.sourceId) h?.set(RpcHeader.SourceId, opts.sourceId);
  if (opts.linkName) h?.set(RpcHeader.LinkName, opts.linkName);
  if (opts.traceparent) h?.set(RpcHeader.TraceParent, opts.traceparent);
  const subject = rpcSubject.invoke(lattice, targetId, operation);
  let reply;
  try {
    reply = await muxRequest(nc, subject, encodeRpc(args), opts.timeoutMs ?? 10_000, h);
  } catch (err) {
    if (err instanceof MuxRequestError && err.kind === 'no-responders') {
      throw new LatticeError(
        LatticeErrorCode.NoResponders,
        `no host runs component "${targetId}" on lattice ${lattice}`,
        {
          cause: err,
          hint: 'start it with `weft start component REF ID`, and check `weft get inventory`',
        },
      );
    }
    throw new LatticeError(LatticeErrorCode.Timeout, `call ${targetId} ${operation} timed out`, { cause: err });
  }
  const remote = errorFromReply(reply.headers, reply.data);
  if (remote) throw remote;
  return decodeRpc(reply.data);
}
