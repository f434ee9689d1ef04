import type { Msg, MsgHdrs } from '@nats-io/transport-node';
import { RemoteErrorCode } from '../errors.ts';
import { errorHeaders } from './error-headers.ts';

/** The code of a reply whose result could not be sent (e.g. larger than the server's max_payload). */
export const REPLY_TOO_LARGE = RemoteErrorCode.ReplyTooLarge;

let batch: [Msg, Uint8Array, MsgHdrs | undefined][] = [];

/**
 * Replies go out at the end of the event-loop turn, together: nats.js writes what is published within one
 * microtask checkpoint in one socket write, and results come back from the workers one message (one checkpoint)
 * at a time, so replying at once costs a write each (22.7% of the main thread under 50 callers, in
 * `node --cpu-prof`). A reply that cannot be sent becomes an error reply, so the caller does not wait it out.
 */
export function replyBatched(msg: Msg, body: Uint8Array, hdrs: MsgHdrs | undefined): void {
  if (batch.push([msg, body, hdrs]) > 1) return;
  setImmediate(() => {
    const out = batch;
    batch = [];
    for (const [m, b, h] of out) replyNow(m, b, h);
  });
}

/** Replies at once, or with an error reply when the result cannot be sent. */
export function replyNow(m: Msg, body: Uint8Array, hdrs: MsgHdrs | undefined): void {
  try {
    m.respond(body, { headers: hdrs });
  } catch (err) {
    try {
      m.respond(new Uint8Array(), {
        headers: errorHeaders(REPLY_TOO_LARGE, `cannot send the result: ${(err as Error).message}`),
      });
    } catch {
      // the connection is closed: the caller times out
    }
  }
}
