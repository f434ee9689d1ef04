import type { Msg, MsgHdrs, NatsConnection, Subscription } from '@nats-io/transport-node';
import { LatticeError, LatticeErrorCode } from '../errors.ts';
import { settleWithin } from '../settle-within.ts';
import { rpcSubject } from '../subjects.ts';
import { decodeRpc, encodeRpc } from './codec.ts';
import { RpcHeader } from './error-headers.ts';
import { errorReply } from './error-reply.ts';
import { replyBatched, replyNow } from './reply-batch.ts';

/** One call being served: the operation (`ns:pkg/iface.func`, or a root export's name), its args and headers. */
export interface RpcCall {
  operation: string;
  args: unknown[];
  /** The caller (`source-id` header), '' when unnamed. */
  sourceId: string;
  /** The link the caller used (`link-name` header). @default 'default' */
  linkName: string;
  traceparent: string | undefined;
  msg: Msg;
}

/** Serves one call: its result is msgpack-encoded into the reply; a throw becomes an error reply. */
export type RpcHandler = (call: RpcCall) => Promise<unknown> | unknown;

/** Where a responder reports a failed reply (never input a caller controls at will: those are debug). */
export interface RpcLog {
  warn(obj: Record<string, unknown>, msg: string): void;
  debug?(obj: Record<string, unknown>, msg: string): void;
}

/** Options of {@link serveRpc}. */
export interface ServeRpcOptions {
  lattice: string;
  /** The component or provider id served. */
  id: string;
  handle: RpcHandler;
  /** Operations left to other subscriptions (a provider's `health`, `linkdefs.*`): not answered here. */
  skip?: (operation: string) => boolean;
  /** The code of a failure that carries none. @default 'LAT_CALL_FAILED' */
  errorCode?: string;
  log?: RpcLog;
  /** Send the replies of one event-loop turn together (see reply-batch.ts). @default true */
  batch?: boolean;
}

/** A target served on the lattice; `drain()` stops taking calls and lets those in flight answer. */
export interface RpcServing {
  readonly sub: Subscription;
  /** Calls being served now. */
  readonly inflight: number;
  drain(timeoutMs?: number): Promise<void>;
}

/**
 * The one responder of lattice calls, `wasmbus.rpc.{lattice}.{id}.>` in queue group `{lattice}.{id}` (wasmCloud §6:
 * every host or process serving the id shares its calls): msgpack args list in, result out, failures as coded error
 * headers (a WitError as its value: error-reply.ts), replies batched per event-loop turn, drain for a graceful stop. Bad input (not
 * msgpack, not a list) is an error reply; nothing a caller sends ends the subscription.
 */
export function serveRpc(nc: NatsConnection, o: ServeRpcOptions): RpcServing {
  const prefix = rpcSubject.invoke(o.lattice, o.id, '');
  const fallback = o.errorCode ?? 'LAT_CALL_FAILED';
  const reply = o.batch === false ? replyNow : replyBatched;
  let inflight = 0;
  const waiters: (() => void)[] = [];
  const done = (): void => {
    if (--inflight === 0) for (const w of waiters.splice(0)) w();
  };
  const serve = async (msg: Msg, operation: string): Promise<void> => {
    let body: Uint8Array = new Uint8Array();
    let hdrs: MsgHdrs | undefined;
    try {
      const args = decodeRpc(msg.data) ?? [];
      if (!Array.isArray(args))
        throw new LatticeError(LatticeErrorCode.BadPayload, 'invocation payload must be a msgpack list of arguments');
      const h = msg.headers;
      const call: RpcCall = {
        operation,
        args,
        sourceId: h?.get(RpcHeader.SourceId) ?? '',
        linkName: h?.get(RpcHeader.LinkName) || 'default',
        traceparent: h?.get(RpcHeader.TraceParent) || undefined,
        msg,
      };
      body = encodeRpc(await o.handle(call));
    } catch (err) {
      ({ data: body, headers: hdrs } = errorReply(err, fallback));
      o.log?.debug?.({ target_id: o.id, operation, err: (err as Error)?.message }, 'lattice call failed');
    }
    if (msg.reply) reply(msg, body, hdrs);
  };
  const sub = nc.subscribe(rpcSubject.target(o.lattice, o.id), {
    queue: rpcSubject.queue(o.lattice, o.id),
    callback: (_e, msg) => {
      const operation = msg.subject.slice(prefix.length);
      if (o.skip?.(operation)) return;
      inflight++;
      void serve(msg, operation)
        .catch((err: unknown) => o.log?.warn({ target_id: o.id, err: (err as Error)?.message }, 'reply failed'))
        .finally(done);
    },
  });
  return {
    sub,
    get inflight() {
      return inflight;
    },
    async drain(timeoutMs = 10_000): Promise<void> {
      await sub.drain().catch(() => {
        if (!sub.isClosed()) sub.unsubscribe();
      });
      if (inflight === 0) return;
      await settleWithin(new Promise<void>((r) => waiters.push(r)), timeoutMs);
    },
  };
}
